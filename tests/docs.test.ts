// The API reference builds from the TypeScript declarations with no warning (typedoc.json sets
// treatWarningsAsErrors): every type a public signature names is itself documented.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const typedoc = path.join(root, 'node_modules', 'typedoc', 'bin', 'typedoc');
const haveTypedoc = fs.existsSync(typedoc);
if (!haveTypedoc) console.log(`docs test skipped: ${typedoc} is not installed (a dev dependency)`);

describe.skipIf(!haveTypedoc)('typedoc', () => {
  it('builds the API reference without warnings', () => {
    const r = spawnSync(process.execPath, [typedoc, '--emit', 'none'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stdout + r.stderr).toMatch(/Found 0 errors and 0 warnings|^$/);
    expect(r.status).toBe(0);
  }, 120_000);
});
