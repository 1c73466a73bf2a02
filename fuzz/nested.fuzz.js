// Jazzer.js target for torch.tensor(nested JS values) (lib/creation.ts): the bytes are decoded
// into a random JS value (arrays, numbers, NaN/Infinity/-0, huge and unsafe integers,
// booleans, bigints beyond int64, null, undefined, strings, objects, TypedArrays, deep and
// ragged nesting) and an optional dtype, then torch.tensor is called. A finding is any outcome
// but a tensor whose shape matches the nesting, or an Error instance (the process must
// survive, and no native crash or hang).
const path = require('node:path');
const { keep } = require('./finding.js');
const lib = process.env.TORCH_NODE_JS || '/tmp/torch-node-fuzz/js';
const torch = require(path.join(lib, 'index.js'));

const SPECIAL = [NaN, Infinity, -Infinity, -0, 2 ** 53 + 2, -(2 ** 63), 2 ** 64, 1e308, 5e-324, 0.1, 255, 256, -129];
const BIG = [2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n, -(2n ** 64n) - 1n, 0n, 1n];
const OTHER = [null, undefined, 'a', '1', {}, { length: 2 }, [], new Float32Array([1, 2]), new BigInt64Array(1), Symbol('s')];
const DTYPES = ['float32', 'float64', 'float16', 'bfloat16', 'int8', 'uint8', 'int16', 'int32', 'int64', 'bool',
  'complex64', 'complex128', 'uint16', 'uint32', 'uint64'];

function decode(data) {
  let at = 0;
  let budget = 20_000; // values decoded in all: replaying keeps arrays rectangular, and exponential
  const byte = () => (at < data.length ? data[at++] : 0);
  const value = (depth) => {
    const op = byte() % 9;
    if (--budget < 0 || (depth > 40 && op === 1)) return byte();
    switch (op) {
      case 0: return (byte() << 8 | byte()) - 32768;
      case 1: { // an array of values like its first (mostly rectangular)
        const n = byte() % 6;
        const mark = at;
        const items = [];
        for (let i = 0; i < n; i++) {
          if (byte() % 4 !== 0) at = mark + 1; // replay the first element's bytes: same shape
          items.push(value(depth + 1));
        }
        return items;
      }
      case 2: return byte() % 2 === 0;
      case 3: return BIG[byte() % BIG.length];
      case 4: return SPECIAL[byte() % SPECIAL.length];
      case 5: return OTHER[byte() % OTHER.length];
      case 6: { // a deep chain [[[...x]]]
        let v = byte();
        for (let i = byte() * 8; i > 0 && --budget > 0; i--) v = [v];
        return v;
      }
      case 7: return byte() / 7;
      default: return byte();
    }
  };
  const v = value(0);
  const d = byte();
  return { v, dtype: d < DTYPES.length ? torch[DTYPES[d]] : undefined };
}

function shapeOf(v) {
  const shape = [];
  for (let p = v; Array.isArray(p); p = p[0]) shape.push(p.length);
  return shape;
}

function check(data) {
  const { v, dtype } = decode(data);
  let t;
  try {
    t = torch.tensor(v, dtype ? { dtype } : {});
  } catch (e) {
    if (e instanceof Error) return;
    throw new Error(`torch.tensor threw a non-Error: ${String(e)}`);
  }
  const expected = ArrayBuffer.isView(v) ? [v.length] : shapeOf(v);
  if (JSON.stringify(t.shape) !== JSON.stringify(expected)) throw new Error(`shape ${t.shape} for nesting ${expected}`);
  if (dtype && t.dtype !== dtype) throw new Error(`dtype ${t.dtype} instead of ${dtype}`);
  t.dispose();
};

module.exports.fuzz = function fuzz(input) {
  try {
    check(input);
  } catch (e) {
    keep('nested', input, e);
  }
};
