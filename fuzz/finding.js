// Shared by the Jazzer.js targets: keeps a finding's input (the local Jazzer.js build cannot
// write libFuzzer's crash artifact after a JS exception) in $FUZZ_FINDINGS, then rethrows.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

module.exports.keep = function keep(target, input, error) {
  const dir = process.env.FUZZ_FINDINGS || '/tmp/torch-node-fuzz/findings';
  fs.mkdirSync(dir, { recursive: true });
  const name = `${target}-${crypto.createHash('sha1').update(input).digest('hex').slice(0, 12)}`;
  fs.writeFileSync(path.join(dir, name), input);
  fs.writeFileSync(path.join(dir, name + '.txt'), String(error?.stack ?? error));
  throw error;
};
