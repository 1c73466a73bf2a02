import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';
import { functions, linalg, special, fft, aten } from '../lib/generated/ops';

// Every generated operator (torch.*, torch.linalg/special/fft, every overload of
// torch.ops.aten.*, and every Tensor method), called with wrong JS values: each call either
// throws an Error whose message says what was wrong, or returns; the process survives and
// later calls still compute correctly. (A crash would fail this file: vitest runs it in its
// own process.) The hand-written API has its tables in bad-input-*.test.ts.
const disposed = torch.ones(2);
disposed.dispose();
const BAD: unknown[][] = [[], [undefined], [null], ['text'], [{}], [NaN], [[1, 'a']], [disposed], [torch.ones(2), 'x'], [Symbol('s')]];
// Calls that are valid with some of these values and would allocate or run for long.
const SKIP = new Set(['empty', 'emptyLike', 'emptyStrided', 'fromFile', 'from_file', '_print']);
// JS's own errors from deep inside a wrapper instead of a message about the argument.
const LEAKED = /Cannot read propert|is not a function|is not iterable|undefined is not|null is not|Cannot convert a Symbol/;

function probe(fn: (...args: unknown[]) => unknown, self?: unknown): { threw: number; bad: string[] } {
  let threw = 0;
  const bad: string[] = [];
  for (const args of BAD) {
    try {
      const result = fn.apply(self, args);
      // Async methods (itemAsync, forwardAsync, ...) reject rather than throw; their errors
      // are checked in tests/async.test.ts. Unobserved here, they would be unhandled rejections.
      if (result instanceof Promise) result.catch(() => {});
    } catch (e) {
      threw++;
      if (!(e instanceof Error) || !e.message) bad.push(String(e));
      else if (LEAKED.test(e.message)) bad.push(e.message);
    }
  }
  return { threw, bad };
}

function sweep(names: string[], lookup: (name: string) => unknown, self?: unknown): { calls: number; bad: string[] } {
  let calls = 0;
  const bad: string[] = [];
  for (const name of names) {
    const fn = lookup(name);
    if (typeof fn !== 'function' || SKIP.has(name)) continue;
    const r = probe(fn as (...a: unknown[]) => unknown, self);
    calls += BAD.length;
    bad.push(...r.bad.map((m) => `${name}: ${m}`));
  }
  return { calls, bad };
}

describe('bad input across the generated API', () => {
  it('torch.* functions throw JS Errors with messages, never crash', () => {
    const { calls, bad } = sweep(Object.keys(functions), (n) => (torch as unknown as Record<string, unknown>)[n]);
    expect(bad).toEqual([]);
    expect(calls).toBeGreaterThan(5000);
    expect(torch.ones(2, 2).matmul(torch.ones(2, 2)).sum().item()).toBe(8);
  });

  it('torch.linalg, torch.special and torch.fft too', () => {
    const namespaces = [[linalg, torch.linalg], [special, torch.special], [fft, torch.fft]] as const;
    let calls = 0;
    for (const [table, ns] of namespaces) {
      const r = sweep(Object.keys(table), (n) => (ns as unknown as Record<string, unknown>)[n]);
      expect(r.bad).toEqual([]);
      calls += r.calls;
    }
    expect(calls).toBeGreaterThan(1000);
  });

  it('every overload of every torch.ops.aten operator, private ones included', () => {
    let calls = 0;
    const bad: string[] = [];
    for (const name of Object.keys(aten)) {
      if (SKIP.has(name)) continue;
      const op = torch.ops.aten[name];
      const r = sweep(['(any)', ...Object.keys(op)], (ov) => (ov === '(any)' ? op : op[ov]));
      calls += r.calls;
      bad.push(...r.bad.map((m) => `${name}.${m}`));
    }
    expect(bad).toEqual([]);
    expect(calls).toBeGreaterThan(15000);
    expect(torch.arange(5).sum().item()).toBe(10);
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
