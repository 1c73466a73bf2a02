import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';
import { functions } from '../lib/generated/ops';

// Every generated torch.* function and Tensor method, called with wrong JS values: each call
// either throws an Error (with a message) or returns; the process survives and later calls
// still compute correctly. (A crash would fail this file: vitest runs it in its own process.)
const disposed = torch.ones(2);
disposed.dispose();
const BAD: unknown[][] = [[], [undefined], [null], ['text'], [{}], [NaN], [[1, 'a']], [disposed], [torch.ones(2), 'x'], [Symbol('s')]];
// Calls that are valid with some of these values and would allocate or run for long.
const SKIP = new Set(['empty', 'emptyLike', 'emptyStrided', 'fromFile']);

function probe(fn: (...args: unknown[]) => unknown, self?: unknown): { threw: number; bad: string[] } {
  let threw = 0;
  const bad: string[] = [];
  for (const args of BAD) {
    try {
      fn.apply(self, args);
    } catch (e) {
      threw++;
      if (!(e instanceof Error) || !e.message) bad.push(String(e));
    }
  }
  return { threw, bad };
}

describe('bad input across the generated API', () => {
  it('torch.* functions throw JS Errors with messages, never crash', () => {
    let calls = 0;
    const bad: string[] = [];
    for (const name of Object.keys(functions)) {
      const fn = (torch as unknown as Record<string, unknown>)[name];
      if (typeof fn !== 'function' || SKIP.has(name)) continue;
      const r = probe(fn as (...a: unknown[]) => unknown);
      calls += BAD.length;
      bad.push(...r.bad.map((m) => `${name}: ${m}`));
    }
    expect(bad).toEqual([]);
    expect(calls).toBeGreaterThan(5000);
    expect(torch.ones(2, 2).matmul(torch.ones(2, 2)).sum().item()).toBe(8);
  });

  it('Tensor methods too, on a live tensor', () => {
    const x = torch.arange(6).float().reshape(2, 3);
    const bad: string[] = [];
    for (const name of Object.getOwnPropertyNames(torch.Tensor.prototype)) {
      if (name === 'constructor' || name.endsWith('_') || ['dispose', 'set'].includes(name)) continue;
      const desc = Object.getOwnPropertyDescriptor(torch.Tensor.prototype, name);
      if (desc?.get && !desc.configurable) continue;
      const fn = (x as unknown as Record<string, unknown>)[name];
      if (typeof fn !== 'function') continue;
      bad.push(...probe(fn as (...a: unknown[]) => unknown, x).bad.map((m) => `${name}: ${m}`));
    }
    expect(bad).toEqual([]);
    expect(x.sum().item()).toBe(15);
    expect(x.isDisposed).toBe(false);
  });
});
