// Jazzer.js target for readIdx (lib/utils/data/idx.ts) on untrusted bytes. A finding is any
// outcome but a tensor whose shape is the header's and whose bytes fit the file, or an Error
// naming readIdx() (no crash, no hang, no allocation the file does not back).
const path = require('node:path');
const { keep } = require('./finding.js');
const lib = process.env.TORCH_NODE_JS || '/tmp/torch-node-fuzz/js';
const { readIdx } = require(path.join(lib, 'utils', 'data', 'idx.js'));

function check(data) {
  let t;
  try {
    t = readIdx(data);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('readIdx(): ')) return;
    // Finding 1 (reported, lib/utils/data/idx.ts is not ours): a zero dimension next to dimensions
    // whose product overflows int64 passes readIdx's byte count and fails in libtorch instead.
    if (e instanceof Error && /overflow/.test(e.message) && Array.from({ length: data[3] }, (_, i) => data.readUInt32BE(4 + 4 * i)).includes(0)) return;
    throw e;
  }
  const ndim = data[3];
  if (t.dim() !== ndim) throw new Error(`${t.dim()} dimensions, header says ${ndim}`);
  if (t.numel() * t.dtype.itemsize > data.length) throw new Error('more bytes than the file');
  t.view(-1).sum();
  t.dispose();
};

module.exports.fuzz = function fuzz(input) {
  try {
    check(input);
  } catch (e) {
    keep('idx', input, e);
  }
};
