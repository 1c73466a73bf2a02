// Shared by the bad-input-*.test.ts tables: a row is [description, call, expected message].
// The description starts with the public name it exercises (`nn.Linear(-1, 2)`), which is how
// the coverage checks find which names have rows.
import { expect, it } from 'vitest';
import * as torch from '../lib/index';

export type Row = [description: string, call: () => unknown, expected: RegExp];

/** What `call` threw (or the Promise it returned rejected with); a marker if it did not. */
export async function thrown(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (e) {
    return e;
  }
  return NOT_THROWN;
}
export const NOT_THROWN = Symbol('did not throw');

/** One test per row: a JS Error whose message matches the row's pattern. */
export function itThrowsForEachRow(rows: Row[]): void {
  it.each(rows)('%s', async (_description, call, expected) => {
    const e = await thrown(call);
    expect(e, 'it returned instead of throwing').not.toBe(NOT_THROWN);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toMatch(expected);
  });
}

/** A tensor that has been disposed. */
export function disposed(): torch.Tensor {
  const t = torch.ones(2, 3);
  t.dispose();
  return t;
}

/**
 * The public names (`prefix.name`) with no row and no entry in `skips` (name -> why it has
 * no row); and skip entries naming nothing that exists, so the list cannot go stale.
 */
export function uncovered(prefix: string, namespace: object, rows: Row[], skips: Record<string, string>): string[] {
  const names = Object.keys(namespace).map((k) => `${prefix}.${k}`);
  const covered = (name: string) => rows.some(([d]) => d.startsWith(name) && /^[^A-Za-z0-9_$]/.test(d.slice(name.length) || ' '));
  const missing = names.filter((n) => !covered(n) && !(n in skips));
  const stale = Object.keys(skips).filter((n) => n.startsWith(`${prefix}.`) && !n.slice(prefix.length + 1).includes('.') && !names.includes(n));
  return [...missing, ...stale.map((n) => `${n} (in the skip list, but not exported)`)];
}

/** After a table: the process still computes, with correct numbers. */
export function itStillComputes(): void {
  it('the process still computes correctly afterwards', () => {
    const a = torch.tensor([[1, 2], [3, 4]]);
    expect(a.matmul(a).tolist()).toEqual([[7, 10], [15, 22]]);
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    x.mul(x).sum().backward();
    expect(x.grad?.tolist()).toEqual([2, 4, 6]);
  });
}
