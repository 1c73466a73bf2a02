// What the figures were measured on: CPU, load, versions, and whether the three programs
// really run the same libtorch.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function libtorchVersion(dir) {
  try { return fs.readFileSync(path.join(dir, 'build-version'), 'utf8').trim(); } catch { /* not an archive */ }
  try {
    const m = /__version__\s*=\s*'([^']+)'/.exec(fs.readFileSync(path.join(dir, 'version.py'), 'utf8'));
    if (m) return m[1];
  } catch { /* not a wheel */ }
  return 'unknown';
}

function sha256(file) {
  try {
    const h = crypto.createHash('sha256');
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.allocUnsafe(8 << 20);
    try { for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) h.update(buf.subarray(0, n)); } finally { fs.closeSync(fd); }
    return h.digest('hex');
  } catch { return null; }
}

/** The libtorch directory the loaded addon resolves `libtorch_cpu.so` from, or null. */
function addonLibtorch(root) {
  for (const dir of [path.join(root, 'build', 'Release'), path.join(root, 'prebuilds', `${process.platform}-${process.arch}`)]) {
    try { return path.dirname(fs.realpathSync(path.join(dir, 'libtorch'))); } catch { /* no link */ }
  }
  try { return JSON.parse(fs.readFileSync(path.join(root, 'build', 'libtorch.json'), 'utf8')).root; } catch { return null; }
}

const loadavg = () => os.loadavg().map((x) => x.toFixed(2)).join(', ');

export function machineInfo({ root, libtorch, pyTorchDir }) {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try { cpuModel = /^model name\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel; } catch { /* not Linux */ }
  const nproc = spawnSync('nproc', [], { encoding: 'utf8' }).stdout?.trim() || String(os.availableParallelism?.() ?? os.cpus().length);
  const notes = [];
  if (pyTorchDir && path.resolve(pyTorchDir) === libtorch) notes.push('The C++ programs and Python run on the same libtorch (the Python torch package directory).');
  else if (pyTorchDir) notes.push(`**Note:** the C++ programs use \`${libtorch}\` (LIBTORCH), Python its own \`${pyTorchDir}\`.`);
  const addon = addonLibtorch(root);
  if (addon && path.resolve(addon) !== libtorch) {
    const h1 = sha256(path.join(libtorch, 'lib', 'libtorch_cpu.so'));
    const h2 = sha256(path.join(addon, 'lib', 'libtorch_cpu.so'));
    notes.push(h1 && h1 === h2
      ? `The torch-node addon loads \`${addon}\` (${libtorchVersion(addon)}), whose \`libtorch_cpu.so\` is byte-identical (sha256 ${h1.slice(0, 12)}…).`
      : `**Note:** the torch-node addon loads \`${addon}\` (${libtorchVersion(addon)}), whose \`libtorch_cpu.so\` differs from this one.`);
  } else if (addon) notes.push('The torch-node addon loads this same libtorch.');
  return { cpuModel, nproc, node: process.version, libtorch, libtorchVersion: libtorchVersion(libtorch), notes, loadStart: loadavg() };
}

export { loadavg };
