// dtypes: PyTorch's names, backed by c10::ScalarType codes.
export class DType {
  constructor(readonly name: string, readonly code: number, readonly isFloatingPoint: boolean, readonly itemsize: number) {}
  toString(): string { return `torch.${this.name}`; }
}

export const uint8 = new DType('uint8', 0, false, 1);
export const int8 = new DType('int8', 1, false, 1);
export const int16 = new DType('int16', 2, false, 2);
export const int32 = new DType('int32', 3, false, 4);
export const int64 = new DType('int64', 4, false, 8);
export const float16 = new DType('float16', 5, true, 2);
export const float32 = new DType('float32', 6, true, 4);
export const float64 = new DType('float64', 7, true, 8);
export const complex64 = new DType('complex64', 9, false, 8);
export const complex128 = new DType('complex128', 10, false, 16);
export const bool = new DType('bool', 11, false, 1);
export const bfloat16 = new DType('bfloat16', 15, true, 2);
export const uint16 = new DType('uint16', 27, false, 2);
export const uint32 = new DType('uint32', 28, false, 4);
export const uint64 = new DType('uint64', 29, false, 8);
// PyTorch's aliases.
export { float32 as float, float64 as double, float16 as half, int64 as long, int32 as int, int16 as short };

const byCode = new Map<number, DType>(
  [uint8, int8, int16, int32, int64, float16, float32, float64, complex64, complex128, bool, bfloat16, uint16, uint32, uint64]
    .map((d) => [d.code, d]));

export function dtypeFromCode(code: number): DType {
  const d = byCode.get(code);
  if (!d) throw new Error(`unsupported dtype code ${code}`);
  return d;
}

/** The dtype a TypedArray's elements have. */
export function dtypeOfArray(a: ArrayBufferView): DType {
  if (a instanceof Float32Array) return float32;
  if (a instanceof Float64Array) return float64;
  if (a instanceof Int32Array) return int32;
  if (a instanceof BigInt64Array) return int64;
  if (a instanceof Uint8Array || a instanceof Uint8ClampedArray) return uint8;
  if (a instanceof Int8Array) return int8;
  if (a instanceof Int16Array) return int16;
  if (a instanceof Uint16Array) return uint16;
  if (a instanceof Uint32Array) return uint32;
  if (a instanceof BigUint64Array) return uint64;
  throw new TypeError(`expected a TypedArray, got ${Object.prototype.toString.call(a)}`);
}
