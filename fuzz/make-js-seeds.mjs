// Writes the seed corpora of the JS fuzzers (fuzz/corpus/safetensors, idx, nested) with
// torch-node itself: node fuzz/make-js-seeds.mjs (after npm run build:ts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from 'torch-node';

const here = path.dirname(fileURLToPath(import.meta.url));
const write = (dir, name, bytes) => fs.writeFileSync(path.join(here, 'corpus', dir, name), bytes);

const st = torch.safetensors;
write('safetensors', 'f32.st', st.saveSafetensors({ w: torch.arange(6).float().reshape(2, 3) }));
write('safetensors', 'dtypes.st', st.saveSafetensors({
  a: torch.tensor([1.5], { dtype: torch.float64 }), b: torch.tensor([1, -1], { dtype: torch.int64 }),
  c: torch.tensor([0.5], { dtype: torch.float16 }), d: torch.tensor([0.5], { dtype: torch.bfloat16 }),
  e: torch.tensor([true, false]), f: torch.tensor([7], { dtype: torch.uint8 }), g: torch.tensor([-3], { dtype: torch.int16 }),
}, { format: 'pt' }));
write('safetensors', 'empty-and-scalar.st', st.saveSafetensors({ empty: torch.zeros(0, 4), scalar: torch.tensor(2.5) }));
// The same files as header text, a zero byte, then the data (the harness writes the length).
for (const name of ['f32', 'dtypes', 'empty-and-scalar']) {
  const bytes = fs.readFileSync(path.join(here, 'corpus', 'safetensors', `${name}.st`));
  const length = Number(bytes.readBigUInt64LE(0));
  write('safetensors', `${name}.json`, Buffer.concat([bytes.subarray(8, 8 + length), Buffer.from([0]), bytes.subarray(8 + length)]));
}

write('safetensors', 'structured', Buffer.from([0x53, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 3, 1, 0, 1, 1, ...Array(24).fill(7)]));

// IDX: magic 0 0 type ndim, big-endian uint32 dims, big-endian data.
const idx = (type, dims, data) => {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
};
write('idx', 'u8-2x3.idx', idx(0x08, [2, 3], [1, 2, 3, 4, 5, 6]));
write('idx', 'i16-2.idx', idx(0x0b, [2], [0, 1, 255, 255]));
write('idx', 'f32-1.idx', idx(0x0d, [1], [0x3f, 0x80, 0, 0]));
write('idx', 'f64-1.idx', idx(0x0e, [1], [0x3f, 0xf0, 0, 0, 0, 0, 0, 0]));
write('idx', 'i32-0d.idx', idx(0x0c, [], [0, 0, 0, 7]));
write('idx', 'i8-empty.idx', idx(0x09, [0, 5], []));

// Nested arrays: the bytes the nested fuzzer decodes into JS values (see nested.fuzz.js).
write('nested', 'matrix', Buffer.from([1, 2, 2, 0, 0x40, 0, 1, 0, 2, 0, 3, 0, 4]));
write('nested', 'ragged', Buffer.from([1, 2, 2, 3, 0, 1, 0, 2, 0]));
write('nested', 'mixed', Buffer.from([1, 3, 0, 1, 2, 0, 3, 9, 4]));
