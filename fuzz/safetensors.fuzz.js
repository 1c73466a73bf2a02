// Jazzer.js target (coverage-guided, libFuzzer underneath) for lib/safetensors.ts's
// loadSafetensors on untrusted bytes. Runs against a CommonJS build of lib/ (TORCH_NODE_JS,
// default /tmp/torch-node-fuzz/js, made by fuzz/run-js.sh). A finding is any outcome but
// tensors or an Error whose message starts with "safetensors: " (a TypeError from deep
// inside, a crash, a hang, a tensor holding more bytes than the file).
// Input: a whole file; or, starting with '{', a JSON header, a zero byte, then the data (the
// harness writes the header length, so mutated headers reach the per-tensor checks); or,
// starting with 'S', bytes the harness decodes into a header object (entries whose dtype,
// shape and data_offsets are drawn from valid and hostile JSON values), then the data.
const path = require('node:path');
const { keep } = require('./finding.js');
const lib = process.env.TORCH_NODE_JS || '/tmp/torch-node-fuzz/js';
const { loadSafetensors } = require(path.join(lib, 'safetensors.js'));

const DTYPES = ['F32', 'F64', 'F16', 'BF16', 'I64', 'I32', 'I16', 'I8', 'U8', 'BOOL', 'U16', 'U32', 'U64', 'F8', '__proto__', 'constructor', ''];
const NUMBERS = [0, 1, 2, 3, 4, 8, 16, 24, -1, 0.5, 2 ** 53, 2 ** 53 + 2, 1e15, 4e15, 1e308, 2 ** 32, 2 ** 31 - 1];

function structured(data) {
  let at = 1;
  const byte = () => (at < data.length ? data[at++] : 0);
  const pick = (list) => list[byte() % list.length];
  const value = (depth) => {
    switch (byte() % 8) {
      case 0: return pick(NUMBERS);
      case 1: return depth > 3 ? 0 : Array.from({ length: byte() % 5 }, () => value(depth + 1));
      case 2: return pick(DTYPES);
      case 3: return null;
      case 4: return byte() % 2 === 0;
      case 5: return depth > 3 ? {} : { dtype: value(depth + 1) };
      case 6: return byte();
      default: return [byte() % 9, byte() % 33];
    }
  };
  const header = {};
  for (let n = byte() % 4; n > 0; n--) {
    const entry = {};
    if (byte() % 8) entry.dtype = byte() % 4 ? pick(DTYPES) : value(0);
    if (byte() % 8) entry.shape = byte() % 4 ? Array.from({ length: byte() % 4 }, () => pick(NUMBERS)) : value(0);
    if (byte() % 8) entry.data_offsets = byte() % 4 ? [pick(NUMBERS), pick(NUMBERS)] : value(0);
    header[byte() % 5 === 0 ? '__metadata__' : `t${n}`] = byte() % 16 ? entry : value(0);
  }
  return [Buffer.from(JSON.stringify(header)), data.subarray(at)];
}

function file(data) {
  if (data[0] !== 0x7b && data[0] !== 0x53) return data;
  const cut = data.indexOf(0);
  const [json, rest] = data[0] === 0x53 ? structured(data)
    : [cut < 0 ? data : data.subarray(0, cut), cut < 0 ? Buffer.alloc(0) : data.subarray(cut + 1)];
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, json, rest]);
}

function check(input) {
  const data = file(input);
  let tensors;
  try {
    tensors = loadSafetensors(data);
  } catch (e) {
    if (e instanceof Error && e.constructor === Error && e.message.startsWith('safetensors: ')) return;
    throw e;
  }
  for (const [name, t] of Object.entries(tensors)) {
    if (t.numel() * t.dtype.itemsize > data.length) throw new Error(`'${name}' holds more bytes than the file`);
    t.view(-1).sum(); // reads every element
    t.dispose();
  }
};

module.exports.fuzz = function fuzz(input) {
  try {
    check(input);
  } catch (e) {
    keep('safetensors', input, e);
  }
};

module.exports.toFile = file; // the file an input stands for (to keep findings as test fixtures)
