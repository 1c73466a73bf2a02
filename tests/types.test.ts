import { execFileSync } from 'node:child_process';
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

describe('TypeScript declarations', () => {
  it('the library type-checks', () => {
    expect(typecheck('tsconfig.json')).toBe('');
  });

  it('accept PyTorch-shaped code and reject wrong calls (tests/types/usage.ts)', () => {
    expect(typecheck('tests/types/tsconfig.json')).toBe('');
  });
});
