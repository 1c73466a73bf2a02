import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const tsc = path.join(root, 'node_modules', '.bin', 'tsc');

function typecheck(project: string): string {
  try {
    execFileSync(tsc, ['-p', project, '--noEmit'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  }
}

// The GPU machine runs the suite from a packed tree without TypeScript: say so, don't fail.
const haveTsc = fs.existsSync(tsc);
if (!haveTsc) console.log(`type tests skipped: ${tsc} is not installed here`);

describe.skipIf(!haveTsc)('TypeScript declarations', () => {
  it('the library type-checks', () => {
    expect(typecheck('tsconfig.json')).toBe('');
  });

  it('accept PyTorch-shaped code and reject wrong calls (tests/types/usage.ts)', () => {
    expect(typecheck('tests/types/tsconfig.json')).toBe('');
  });
});
