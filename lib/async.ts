// Work off the JS thread: copies of a tensor's values to JS made on a libuv worker thread, so
// the event loop keeps turning while they run (and, for a GPU tensor, while the device
// finishes the work queued before the copy).
//
// What JS may touch meanwhile: the job holds its own reference to the tensor, so dispose()
// or GC of the handle is safe (the memory is freed when the job is done with it). Writing
// the tensor in place (`x.add_(1)`, an optimizer step) while a job reads it is a data race
// whose result is undefined, as with PyTorch's non-default CUDA streams: await the job first.
import { native } from './native';
import type { Tensor } from './tensor';

/**
 * Awaits `work`; a rejection gets the stack of the caller that queued it (captured in
 * `caller` before queuing), since the worker thread's own stack says nothing useful.
 */
export async function withCallerStack<T>(caller: Error, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof Error) e.stack = `${e.name}: ${e.message}\n${caller.stack?.split('\n').slice(1).join('\n')}`;
    throw e;
  }
}

type ArrayMaker = new (buffer: ArrayBuffer) => ArrayBufferView;

// c10::ScalarType codes (lib/dtype.ts) -> the TypedArray toTypedArray() gives for each.
const arrayTypes = new Map<number, ArrayMaker>([
  [0, Uint8Array], [1, Int8Array], [2, Int16Array], [3, Int32Array], [4, BigInt64Array], [6, Float32Array],
  [7, Float64Array], [11, Uint8Array], [27, Uint16Array], [28, Uint32Array], [29, BigUint64Array],
]);
const widened = new Set([5, 15]); // float16, bfloat16: copied as float32

/** Tensor.item() on a worker thread: waits for a GPU without blocking the event loop. */
export function itemAsync<T extends number | boolean = number>(t: Tensor): Promise<T> {
  const caller = new Error();
  return withCallerStack(caller, () => native.itemAsync(t._h) as Promise<T>);
}

/** Tensor.toTypedArray() on a worker thread: the copy (and a GPU's transfer) happen off the JS thread. */
export function toTypedArrayAsync(t: Tensor): Promise<ArrayBufferView> {
  const caller = new Error();
  const code = t.dtype.code;
  if (!arrayTypes.has(code) && !widened.has(code)) throw new TypeError(`no TypedArray holds dtype ${t.dtype}`);
  return withCallerStack(caller, async () => {
    const [buffer, copied] = await native.copyAsync(t._h);
    return new (arrayTypes.get(copied)!)(buffer);
  });
}

/** Tensor.tolist() with the copy made off the JS thread (the nesting into arrays runs on it). */
export async function tolistAsync(t: Tensor): Promise<unknown> {
  const shape = t.shape;
  const isBool = t.dtype.name === 'bool';
  const flat = await toTypedArrayAsync(t) as unknown as ArrayLike<number | bigint>;
  const value = (i: number) => {
    const v = flat[i];
    return isBool ? v !== 0 : typeof v === 'bigint' ? Number(v) : v;
  };
  if (shape.length === 0) return value(0);
  let offset = 0;
  const build = (d: number): unknown[] =>
    Array.from({ length: shape[d] }, () => (d === shape.length - 1 ? value(offset++) : build(d + 1)));
  return build(0);
}
