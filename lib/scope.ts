// Deterministic release without dispose calls: torch.tidy(fn) disposes every tensor created
// while fn runs, except those it returns (found anywhere in arrays, plain objects, Maps) and
// those passed to torch.keep(). Tensors not freed here are still freed by the GC.
import type { Tensor } from './tensor';
import { expectFunction, expectTensor } from './ops/validate';

type Scope = Tensor[];
const stack: Scope[] = [];
const kept = new WeakSet<object>();

/** The innermost open scope, or null (the common case: then no bookkeeping at all). */
export function currentScope(): Scope | null {
  return stack.length === 0 ? null : stack[stack.length - 1];
}

/** Marks a tensor to survive the scopes that are open now. */
export function keep<T extends Tensor>(t: T): T {
  expectTensor('keep(tensor)', t);
  kept.add(t);
  return t;
}

function collect(value: unknown, into: Set<object>, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if ('_h' in value) {
    into.add(value);
    return;
  }
  const items = value instanceof Map ? value.values() : Array.isArray(value) ? value : Object.values(value);
  for (const v of items) collect(v, into, seen);
}

/**
 * Runs fn, then disposes the tensors it created and did not return (like tfjs's tidy or
 * TorchSharp's DisposeScope). Returned tensors move to the enclosing scope, if any.
 */
export function tidy<T>(fn: () => T): T {
  expectFunction('tidy(fn)', fn);
  const scope: Scope = [];
  stack.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    for (const t of scope) if (!kept.has(t)) t.dispose();
    throw e;
  } finally {
    stack.pop();
  }
  if (result instanceof Promise) {
    throw new TypeError('tidy(fn): fn must be synchronous (its tensors would be disposed before it finishes)');
  }
  const survivors = new Set<object>();
  collect(result, survivors);
  const parent = currentScope();
  for (const t of scope) {
    if (survivors.has(t) || kept.has(t)) parent?.push(t);
    else t.dispose();
  }
  return result;
}
