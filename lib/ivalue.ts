// JS values to and from what the native side takes for libtorch IValues (native/ivalue.cc):
// tensors become handles and back, through plain objects, arrays and Maps.
import type { Handle } from './native';
import { Tensor, wrap } from './tensor';

export function toNative(value: unknown, seen: Set<object>): unknown {
  if (value instanceof Tensor) return value._h;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) throw new TypeError('the object contains a cycle');
  seen.add(value);
  let out: unknown;
  if (Array.isArray(value)) out = value.map((v) => toNative(v, seen));
  else if (value instanceof Map) out = Object.fromEntries([...value].map(([k, v]) => [String(k), toNative(v, seen)]));
  else if (Object.getPrototypeOf(value) === Object.prototype) {
    out = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toNative(v, seen)]));
  } else {
    throw new TypeError(`cannot pass a ${value.constructor?.name ?? 'value'} to libtorch (a module's stateDict() holds its tensors)`);
  }
  seen.delete(value);
  return out;
}

export function fromNative(value: unknown, move: (t: Tensor) => Tensor): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Object.getPrototypeOf(value) === null) return move(wrap(value as Handle)); // a tensor handle
  if (Array.isArray(value)) return value.map((v) => fromNative(v, move));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromNative(v, move)]));
}

