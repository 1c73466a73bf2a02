// Tensors from JS data: torch.tensor (a copy, from nested arrays, TypedArrays, Buffers),
// and zero-copy fromArray/fromBuffer that share the JS memory.
import { native } from './native';
import * as dt from './dtype';
import type { DType } from './dtype';
import type { DeviceLike } from './device';
import { Tensor, wrap } from './tensor';
import { Device, defaultDeviceString } from './device';
import { describeValue, expectOptions, fail } from './ops/validate';

export type NestedArray = number | boolean | bigint | readonly NestedArray[];

export interface TensorOptions {
  dtype?: DType;
  device?: DeviceLike;
  requiresGrad?: boolean;
}

type Leaf = 'number' | 'boolean' | 'bigint';

/** The shape of a nested array, checking that it is not ragged and holds one kind of value. */
function inspect(data: NestedArray): { shape: number[]; leaf: Leaf | null } {
  const shape: number[] = [];
  let probe: unknown = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  let leaf: Leaf | null = null;
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth < shape.length) {
      if (!Array.isArray(v) || v.length !== shape[depth]) {
        const got = Array.isArray(v) ? `length ${v.length}` : typeof v;
        throw new TypeError(`tensor(): ragged nested array: expected a sequence of length ${shape[depth]} at ${path || 'the top'}, got ${got}`);
      }
      for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, `${path}[${i}]`);
      return;
    }
    const t = typeof v;
    if (t !== 'number' && t !== 'boolean' && t !== 'bigint') {
      throw new TypeError(`tensor(): expected numbers, booleans or bigints, got ${Array.isArray(v) ? 'an array' : v === null ? 'null' : t} at ${path || 'the top'}`);
    }
    if (leaf === null || (leaf === 'boolean' && t !== 'boolean')) leaf = t as Leaf;
    else if (leaf === 'bigint' && t === 'number') leaf = 'number';
  };
  walk(data, 0, '');
  return { shape, leaf };
}

/** BigInt64Array.from wraps bigints beyond 64 bits silently; Python raises "Overflow when unpacking long". */
function checkBigInts(values: (number | bigint | boolean)[], target: DType): void {
  const [low, high] = target === dt.uint64 ? [0n, 2n ** 64n] : [-(2n ** 63n), 2n ** 63n];
  const i = values.findIndex((v) => typeof v === 'bigint' && (v < low || v >= high));
  if (i >= 0) throw new RangeError(`tensor(): ${values[i]}n (element ${i}) is outside the ${target === dt.uint64 ? 'uint64' : 'int64'} range`);
}

// The integer dtypes' ranges, as c10's checked conversion tests them: unsigned types also take
// negatives down to -max (they wrap, two's complement, as in PyTorch).
const INTEGER_LIMITS: Record<string, [number, number]> = {
  uint8: [-255, 255], int8: [-128, 127], int16: [-32768, 32767], uint16: [-65535, 65535],
  int32: [-(2 ** 31), 2 ** 31 - 1], uint32: [-(2 ** 32 - 1), 2 ** 32 - 1],
  int64: [-(2 ** 63), 2 ** 63], uint64: [-(2 ** 64), 2 ** 64],
};

/** Converting 300 to uint8, or NaN to int64, wrapped silently; PyTorch raises instead. */
function checkIntegerRange(values: (number | bigint | boolean)[], target: DType): void {
  const limits = INTEGER_LIMITS[target.name];
  if (!limits) return;
  const [low, high] = limits;
  // int64/uint64 bounds are not exact doubles: 2 ** 63 itself is already out of range.
  const tooHigh = high >= 2 ** 63 ? (v: number) => v >= high : (v: number) => v > high;
  const i = values.findIndex((v) => typeof v === 'number' && !(v >= low && !tooHigh(v)));
  if (i >= 0) throw new RangeError(`tensor(): value ${values[i]} (element ${i}) cannot be converted to type ${target.name} without overflow`);
}

function flatten(data: NestedArray, into: (number | bigint | boolean)[]): void {
  if (Array.isArray(data)) for (const d of data) flatten(d, into);
  else into.push(data as number | bigint | boolean);
}

function checkOptions(where: string, options: TensorOptions): void {
  expectOptions(where, options);
  const { dtype, device, requiresGrad } = options;
  if (dtype !== undefined && !(dtype instanceof dt.DType)) fail(`${where}: dtype`, 'a torch dtype (torch.float32, ...)', dtype);
  if (device !== undefined && typeof device !== 'string' && !(device instanceof Device)) fail(`${where}: device`, "a device ('cpu', 'cuda:0')", device);
  if (requiresGrad !== undefined && typeof requiresGrad !== 'boolean') fail(`${where}: requiresGrad`, 'a boolean', requiresGrad);
}

/** A shape given to fromArray/fromBuffer: non-negative integers whose product is the length. */
function checkShape(where: string, shape: unknown, n: number): number[] {
  if (shape === undefined) return [n];
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(`${where}: shape`, 'an array of non-negative integers', shape);
  }
  const numel = shape.reduce((a, b) => a * b, 1);
  if (numel !== n) throw new RangeError(`${where}: shape [${shape.join(', ')}] holds ${numel} elements, but the array has ${n}`);
  return shape;
}

function finish(t: Tensor, options: TensorOptions, dtype: DType | undefined): Tensor {
  let r = t;
  if (dtype && dtype.code !== native.dtype(r._h)) r = r.to(dtype);
  const device = options.device ?? defaultDeviceString(); // torch.setDefaultDevice applies, as in PyTorch
  if (device !== null) r = r.to(device);
  if (options.requiresGrad) r.requiresGrad_(true);
  return r;
}

/**
 * A new tensor holding a copy of `data`: nested arrays (numbers -> float32, booleans -> bool,
 * bigints -> int64, unless a dtype is given), a TypedArray (its dtype), a Buffer (uint8),
 * a number, or another Tensor.
 */
export function tensor(data: NestedArray | ArrayBufferView | Tensor, options: TensorOptions = {}): Tensor {
  checkOptions('tensor()', options);
  if (data instanceof Tensor) return finish(data.detach().clone(), options, options.dtype);
  if (ArrayBuffer.isView(data)) {
    if (data instanceof DataView) throw new TypeError('tensor(): a DataView has no element type; pass a TypedArray');
    const source = dt.dtypeOfArray(data);
    const t = wrap(native.fromTypedArray(data, [(data as unknown as ArrayLike<number>).length], source.code, false));
    return finish(t, options, options.dtype);
  }
  const { shape, leaf } = inspect(data as NestedArray);
  const values: (number | bigint | boolean)[] = [];
  flatten(data as NestedArray, values);
  const target = options.dtype ?? (leaf === 'boolean' ? dt.bool : leaf === 'bigint' ? dt.int64 : dt.dtypeFromCode(native.getDefaultDtype()));
  if (leaf === 'bigint') checkBigInts(values, target);
  checkIntegerRange(values, target);
  // float64 holds every JS number exactly; the native side converts to the target dtype.
  const array = leaf === 'bigint' && !target.isFloatingPoint ? BigInt64Array.from(values, (v) => BigInt(v as bigint))
    : target === dt.float32 ? Float32Array.from(values, Number)
    : Float64Array.from(values, Number);
  const t = wrap(native.fromTypedArray(array, shape, target.code, false));
  return finish(t, options, undefined);
}

/**
 * `data` as a tensor, sharing memory where it can (torch.as_tensor): a Tensor already of the
 * dtype and device asked for is returned as it is, a TypedArray on the CPU is shared (as
 * PyTorch shares a NumPy array's memory); anything else is copied, as torch.tensor does.
 */
export function asTensor(data: NestedArray | ArrayBufferView | Tensor, options: Omit<TensorOptions, 'requiresGrad'> = {}): Tensor {
  checkOptions('asTensor()', options);
  const { dtype, device } = options;
  if (data instanceof Tensor) {
    const sameDevice = device === undefined || String(device) === String(data.device);
    return (dtype === undefined || dtype === data.dtype) && sameDevice ? data : data.to(device ?? data.device, dtype ?? data.dtype);
  }
  const onCpu = String(device ?? defaultDeviceString() ?? 'cpu').startsWith('cpu');
  if (ArrayBuffer.isView(data) && !(data instanceof DataView) && onCpu && (!dtype || dtype === dt.dtypeOfArray(data))) return fromArray(data);
  return tensor(data, options);
}

/**
 * torch.asarray: as asTensor, and `copy: true` always copies, `copy: false` throws where a copy
 * would be needed; `requiresGrad` as in torch.tensor.
 */
export function asarray(obj: NestedArray | ArrayBufferView | Tensor, options: TensorOptions & { copy?: boolean } = {}): Tensor {
  checkOptions('asarray()', options);
  const { copy, requiresGrad, ...rest } = options;
  let t = copy === true ? tensor(obj, rest) : asTensor(obj, rest);
  if (copy === false && !sharesMemory(obj, t)) {
    throw new Error('asarray(): copy is false, but the data cannot be used without a copy (another dtype or device, or a nested array)');
  }
  if (requiresGrad) t = t.requiresGrad_(true);
  return t;
}

function sharesMemory(obj: unknown, t: Tensor): boolean {
  if (obj instanceof Tensor) return obj === t || native.isSame(obj._h, t._h);
  return ArrayBuffer.isView(obj) && t.device.type === 'cpu' && t.typedArrayView().buffer === obj.buffer;
}

/**
 * A tensor sharing the memory of a TypedArray (no copy): writes through either side are seen
 * by the other. The array stays alive while the tensor does. CPU only, the array's dtype.
 */
export function fromArray(array: ArrayBufferView, shape?: number[]): Tensor {
  if (!ArrayBuffer.isView(array) || array instanceof DataView) throw new TypeError(`fromArray(): expected a TypedArray, got ${describeValue(array)}`);
  const source = dt.dtypeOfArray(array);
  const n = (array as unknown as ArrayLike<number>).length;
  return wrap(native.fromTypedArray(array, checkShape('fromArray()', shape, n), source.code, true));
}

/**
 * A tensor over the bytes of a Buffer (or any Uint8Array) read as `dtype`, without a copy.
 * The byte offset must be a multiple of the dtype's size.
 */
export function fromBuffer(buffer: Uint8Array, dtype: DType = dt.uint8, shape?: number[]): Tensor {
  if (!(buffer instanceof Uint8Array)) fail('fromBuffer()', 'a Buffer or Uint8Array', buffer);
  if (!(dtype instanceof dt.DType)) fail('fromBuffer(): dtype', 'a torch dtype', dtype);
  const size = dtype.itemsize;
  if (buffer.byteOffset % size !== 0) {
    throw new RangeError(`fromBuffer(): the buffer's byte offset ${buffer.byteOffset} is not a multiple of ${size} (${dtype}); copy it first`);
  }
  if (buffer.byteLength % size !== 0) {
    throw new RangeError(`fromBuffer(): ${buffer.byteLength} bytes is not a whole number of ${dtype} elements`);
  }
  const n = buffer.byteLength / size;
  const Ctor = VIEW_TYPES[dtype.name];
  if (!Ctor) throw new TypeError(`fromBuffer(): no zero-copy view for ${dtype}`);
  const view = new Ctor(buffer.buffer, buffer.byteOffset, n);
  const t = wrap(native.fromTypedArray(view, checkShape('fromBuffer()', shape, n), (dtype.name === 'bool' ? dt.uint8 : dtype).code, true));
  return dtype.name === 'bool' ? t.view(dt.bool) : t;
}

type ViewCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayBufferView;
const VIEW_TYPES: Record<string, ViewCtor> = {
  uint8: Uint8Array, int8: Int8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array,
  uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array, float32: Float32Array,
  float64: Float64Array, bool: Uint8Array,
};
