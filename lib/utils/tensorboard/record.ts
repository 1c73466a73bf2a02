// TFRecord framing, the container of TensorBoard event files (tensorflow/core/lib/io/record_writer.cc):
//   uint64 length (LE) | uint32 masked crc32c(length bytes) | data | uint32 masked crc32c(data)
import CRC32C from 'crc-32/crc32c';

/** CRC-32C (Castagnoli) of the bytes, as an unsigned 32-bit number. */
export function crc32c(data: Uint8Array): number {
  return CRC32C.buf(data) >>> 0;
}

/** TensorFlow's masked CRC: rotate right by 15 bits and add a constant, so CRCs of CRCs stay strong. */
export function maskCrc(crc: number): number {
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}

/** The masked CRC-32C that TFRecord stores after the length and after the data. */
export function maskedCrc32c(data: Uint8Array): number {
  return maskCrc(crc32c(data));
}

/** One record: the length header, its CRC, the data and the data's CRC. */
export function encodeRecord(data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(data.length + 16);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(data, 12);
  out.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return out;
}

/** The data of every record in a TFRecord file's bytes; throws on a truncated record or a CRC mismatch. */
export function decodeRecords(bytes: Uint8Array): Buffer[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    if (at + 12 > buf.length) throw new Error(`truncated record header at byte ${at}`);
    const length = Number(buf.readBigUInt64LE(at));
    if (buf.readUInt32LE(at + 8) !== maskedCrc32c(buf.subarray(at, at + 8))) throw new Error(`length CRC mismatch at byte ${at}`);
    const end = at + 12 + length;
    if (end + 4 > buf.length) throw new Error(`truncated record at byte ${at}`);
    const data = buf.subarray(at + 12, end);
    if (buf.readUInt32LE(end) !== maskedCrc32c(data)) throw new Error(`data CRC mismatch at byte ${at}`);
    records.push(data);
    at = end + 4;
  }
  return records;
}
