// The IDX file format (MNIST's): two zero bytes, a type code, the number of dimensions, each
// dimension as a big-endian uint32, then the values, big-endian, in row-major order.
import type { Tensor } from '../../tensor';
import type { DType } from '../../dtype';
import * as dt from '../../dtype';
import { fromBuffer } from '../../creation';
import { endianness } from 'node:os';

const TYPE_CODES: Record<number, DType> = {
  0x08: dt.uint8, 0x09: dt.int8, 0x0b: dt.int16, 0x0c: dt.int32, 0x0d: dt.float32, 0x0e: dt.float64,
};

const hex = (n: number) => `0x${n.toString(16).padStart(2, '0').toUpperCase()}`;
const KNOWN = Object.entries(TYPE_CODES).map(([code, type]) => `${hex(Number(code))} ${type.name}`).join(', ');

/**
 * The tensor stored in an IDX buffer (MNIST's format), with the file's shape and dtype.
 * uint8/int8 data is shared with the buffer (no copy); wider types are byte-swapped from
 * big-endian by libtorch in one copy. Throws on a bad magic number, an unknown type code, or
 * a data length that does not match the dimensions.
 */
export function readIdx(buffer: Uint8Array): Tensor {
  if (!(buffer instanceof Uint8Array)) throw new TypeError(`readIdx(): expected a Buffer or Uint8Array, got ${typeof buffer}`);
  if (buffer.byteLength < 4) throw new Error(`readIdx(): truncated header: expected at least 4 bytes, got ${buffer.byteLength}`);
  if (buffer[0] !== 0 || buffer[1] !== 0) {
    const magic = Buffer.from(buffer.subarray(0, 4)).toString('hex');
    throw new Error(`readIdx(): bad magic number 0x${magic}: an IDX file starts with two zero bytes (is it still gzipped?)`);
  }
  const dtype = TYPE_CODES[buffer[2]];
  if (!dtype) throw new Error(`readIdx(): unknown IDX type code ${hex(buffer[2])}; expected one of ${KNOWN}`);
  const ndim = buffer[3];
  const headerBytes = 4 + 4 * ndim;
  if (buffer.byteLength < headerBytes) {
    throw new Error(`readIdx(): truncated header: ${ndim} dimensions need ${headerBytes} bytes, got ${buffer.byteLength}`);
  }
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const shape = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = count * dtype.itemsize;
  const got = buffer.byteLength - headerBytes;
  if (got !== expected) {
    const what = got < expected ? 'truncated data' : 'data longer than its dimensions';
    throw new Error(`readIdx(): ${what}: shape [${shape.join(', ')}] of ${dtype.name} needs ${expected} bytes after the header, got ${got}`);
  }
  // A zero dimension beside huge ones passes the byte count; libtorch's sizes must fit int64.
  if (shape.reduce((a, d) => a * BigInt(Math.max(d, 1)), 1n) >= 2n ** 62n) {
    throw new Error(`readIdx(): shape [${shape.join(', ')}] is too large`);
  }
  const bytes = buffer.subarray(headerBytes);
  if (dtype.itemsize === 1 || endianness() === 'BE') return fromBuffer(copyIfMisaligned(bytes, dtype.itemsize), dtype, shape);
  // Big-endian to the host's little-endian: reverse each element's bytes (flip copies), then
  // reinterpret the contiguous bytes as the element type.
  return fromBuffer(bytes, dt.uint8, [count, dtype.itemsize]).flip(1).view(dtype).reshape(shape);
}

/** fromBuffer needs an offset that is a multiple of the element size. */
function copyIfMisaligned(bytes: Uint8Array, itemsize: number): Uint8Array {
  return bytes.byteOffset % itemsize === 0 ? bytes : new Uint8Array(bytes);
}
