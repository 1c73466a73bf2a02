// safetensors (Hugging Face's format): an 8-byte little-endian header length, a JSON header
// { name: { dtype, shape, data_offsets: [begin, end] }, __metadata__? }, then raw bytes.
// Loading checks every size and offset against the file before reading anything, so a
// corrupt or hostile header fails cleanly without allocating what it claims.
import fs from 'node:fs';
import * as dt from './dtype';
import type { DType } from './dtype';
import { Tensor } from './tensor';
import { fromBuffer } from './creation';

const NAMES: Record<string, DType> = {
  F64: dt.float64, F32: dt.float32, F16: dt.float16, BF16: dt.bfloat16, I64: dt.int64, I32: dt.int32,
  I16: dt.int16, I8: dt.int8, U8: dt.uint8, BOOL: dt.bool, U16: dt.uint16, U32: dt.uint32, U64: dt.uint64,
};
const CODES = new Map(Object.entries(NAMES).map(([k, v]) => [v, k]));
const MAX_HEADER = 100 * 1024 * 1024;
// Integer dtypes by width, to move any dtype's bytes through a TypedArray.
const RAW: Record<number, DType> = { 1: dt.uint8, 2: dt.int16, 4: dt.int32, 8: dt.int64 };

/** The tensors in safetensors bytes, by name (copies; the buffer may be dropped after). */
export function loadSafetensors(bytes: Uint8Array): Record<string, Tensor> {
  const fail = (why: string): never => {
    throw new Error(`safetensors: ${why}`);
  };
  if (bytes.byteLength < 8) fail('the file is shorter than its 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER || 8 + headerLength > bytes.byteLength) fail(`header length ${headerLength} exceeds the file`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, headerLength).toString('utf8'));
  } catch {
    return fail('the header is not valid JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('the header is not a JSON object');
  const dataStart = 8 + headerLength;
  const out: Record<string, Tensor> = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    // An own key only: not 'constructor' or '__proto__'.
    const dtype = Object.hasOwn(NAMES, info?.dtype) ? NAMES[info.dtype] : fail(`tensor '${name}' has unsupported dtype ${String(info?.dtype)}`);
    const shape = info.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`tensor '${name}' has an invalid shape`);
    const [begin, end] = (Array.isArray(info.data_offsets) ? info.data_offsets : []) as number[]; // checked below
    const numel = shape.reduce((a, b) => a * b, 1);
    if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || begin < 0 || end < begin ||
      dataStart + end > bytes.byteLength || end - begin !== numel * dtype.itemsize) {
      fail(`tensor '${name}' has data offsets [${begin}, ${end}] that do not fit its shape or the file`);
    }
    // Copy into an aligned buffer of its own, read it as integers of the dtype's width, then
    // reinterpret the bits (float16/bfloat16 have no TypedArray).
    const chunk = Buffer.from(bytes.subarray(dataStart + begin, dataStart + end));
    const raw = fromBuffer(chunk, RAW[dtype.itemsize], shape);
    // A bool tensor must hold only 0 and 1 (libtorch's kernels assume it): other bytes are true.
    out[name] = dtype === dt.bool ? raw.ne(0) : raw.view(dtype).clone();
  }
  return out;
}

/** safetensors bytes for tensors by name (CPU copies, contiguous, in the order given). */
export function saveSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Buffer {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    if (!(t instanceof Tensor)) throw new TypeError(`safetensors: '${name}' is not a Tensor`);
    const code = CODES.get(t.dtype);
    if (!code) throw new Error(`safetensors: dtype ${t.dtype} of '${name}' is not supported`);
    const cpu = t.detach().cpu().contiguous().view(RAW[t.dtype.itemsize]);
    const raw = cpu.typedArrayView();
    const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    header[name] = { dtype: code, shape: t.shape, data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(Buffer.from(bytes));
    offset += bytes.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // pad so the data starts 8-byte aligned
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return Buffer.concat([length, Buffer.from(json), ...chunks]);
}

export function loadFile(path: string): Record<string, Tensor> {
  return loadSafetensors(fs.readFileSync(path));
}

export function saveFile(tensors: Record<string, Tensor>, path: string, metadata?: Record<string, string>): void {
  const temporary = `${path}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, saveSafetensors(tensors, metadata));
  fs.renameSync(temporary, path);
}
