// Per-op overhead benchmark: C++ (ATen floor) vs PyTorch (Python) vs torch-node,
// on the same libtorch, one intra-op thread. Prints a table, writes bench/RESULTS.md.
//
//   node --expose-gc bench/run.mjs [--scale=X | --quick] [--no-node] [--no-python] [--no-cpp]
//
// Env: LIBTORCH (libtorch root for the C++ build; default: the Python torch package dir),
//      TORCH_NODE_PYTHON (python with torch; default /work/pyvenv/bin/python),
//      BENCH_SCALE (iteration-count multiplier, like --scale).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(benchDir);
const args = process.argv.slice(2);
const flag = (f) => args.includes(f);
let scale = Number(process.env.BENCH_SCALE ?? 1);
for (const a of args) if (a.startsWith('--scale=')) scale = Number(a.slice(8));
if (flag('--quick')) scale = 0.1;
if (!(scale > 0)) scale = 1;

const WORKLOADS = ['add1', 'add1-dispose', 'chain4', 'chain4-tidy', 'fromArray', 'item'];
// Same single-thread settings for every child (the programs also call set_num_threads(1)).
const childEnv = { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

function log(msg) { process.stderr.write(`[bench] ${msg}\n`); }

function sh(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: root, env: childEnv, encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  return { ok: r.status === 0 && !r.error, status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

/** The last JSON line on stdout with an "impl" key, or null. */
function parseResult(stdout) {
  for (const line of stdout.trim().split('\n').reverse()) {
    try { const j = JSON.parse(line); if (j && j.impl) return j; } catch { /* not JSON */ }
  }
  return null;
}
const tail = (s, n = 1500) => (s.length > n ? '…' + s.slice(-n) : s).trim();

// ---- Python (found first: its torch package is the default LIBTORCH) ----
const python = process.env.TORCH_NODE_PYTHON || '/work/pyvenv/bin/python';
const havePython = fs.existsSync(python);
let pyTorchDir = null;
if (havePython) {
  const r = sh(python, ['-c', 'import torch, os; print(os.path.dirname(torch.__file__))']);
  if (r.ok) pyTorchDir = r.stdout.trim();
}

// ---- libtorch ----
const libtorch = path.resolve(process.env.LIBTORCH || pyTorchDir || '/tmp/tt/torch');
function libtorchVersion(dir) {
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
// The libtorch the addon was built against (scripts/install.mjs records it).
let addonLibtorch = null;
try { addonLibtorch = JSON.parse(fs.readFileSync(path.join(root, 'build', 'libtorch.json'), 'utf8')).root; } catch { /* not built */ }

const results = {}; // impl -> {results, ...} | {error}

// ---- C++ ----
if (!flag('--no-cpp')) {
  const src = path.join(benchDir, 'cpp');
  const build = path.join(src, 'build');
  const exe = path.join(build, 'perop');
  let cached = null;
  try { cached = /^LIBTORCH:PATH=(.*)$/m.exec(fs.readFileSync(path.join(build, 'CMakeCache.txt'), 'utf8'))?.[1]; } catch { /* no cache */ }
  let err = null;
  if (!fs.existsSync(path.join(build, 'build.ninja')) || cached !== libtorch) {
    log(`configuring bench/cpp (LIBTORCH=${libtorch})`);
    const gen = sh('ninja', ['--version']).ok ? ['-G', 'Ninja'] : [];
    const r = sh('cmake', ['-S', src, '-B', build, ...gen, `-DLIBTORCH=${libtorch}`, '-DCMAKE_BUILD_TYPE=Release']);
    if (!r.ok) err = 'cmake configure failed:\n' + tail(r.stdout + r.stderr);
  }
  if (!err) {
    const r = sh('cmake', ['--build', build, '--parallel', '1']);
    if (!r.ok) err = 'cmake build failed:\n' + tail(r.stdout + r.stderr);
    else if (/Linking/.test(r.stdout)) log('built bench/cpp/build/perop');
  }
  if (!err) {
    log('running C++ (ATen)');
    const r = sh(exe, [String(scale)]);
    const j = parseResult(r.stdout);
    if (r.ok && j) results.cpp = j; else err = 'perop failed:\n' + tail(r.stdout + r.stderr);
  }
  if (err) { results.cpp = { error: err }; log(`C++: ${err}`); }
} else results.cpp = { error: 'skipped (--no-cpp)' };

// ---- Python ----
if (flag('--no-python')) results.python = { error: 'skipped (--no-python)' };
else if (!havePython) results.python = { error: `skipped: no Python at ${python} (set TORCH_NODE_PYTHON)` };
else if (!pyTorchDir) results.python = { error: `skipped: ${python} cannot import torch` };
else {
  log(`running Python (${python})`);
  const r = sh(python, [path.join(benchDir, 'perop.py'), String(scale)]);
  const j = parseResult(r.stdout);
  results.python = r.ok && j ? j : { error: 'perop.py failed:\n' + tail(r.stdout + r.stderr) };
}

// ---- torch-node ----
if (flag('--no-node')) results.node = { error: 'skipped (--no-node)' };
else {
  let err = null;
  if (!process.env.TORCH_NODE_BENCH_MODULE) {
    if (!fs.existsSync(path.join(root, 'lib', 'index.ts'))) err = 'skipped: lib/index.ts does not exist yet';
    else {
      log('compiling TypeScript (tsc -p tsconfig.json -> dist/cjs)');
      const localTsc = path.join(root, 'node_modules', '.bin', 'tsc');
      const r = fs.existsSync(localTsc) ? sh(localTsc, ['-p', 'tsconfig.json']) : sh('npx', ['tsc', '-p', 'tsconfig.json']);
      if (!r.ok) {
        // tsc still emits on type errors; carry on if there is an entry point, but say so.
        if (fs.existsSync(path.join(root, 'dist', 'cjs', 'index.js'))) log('tsc reported errors (continuing with the emitted dist/cjs):\n' + tail(r.stdout + r.stderr, 800));
        else err = 'tsc failed:\n' + tail(r.stdout + r.stderr);
      }
    }
  }
  if (!err) {
    log('running torch-node');
    const r = sh(process.execPath, ['--expose-gc', path.join(benchDir, 'perop.mjs'), String(scale)]);
    const j = parseResult(r.stdout);
    if (r.ok && j) results.node = j; else err = 'perop.mjs failed:\n' + tail(r.stdout + r.stderr);
  }
  if (err) { results.node = { error: err }; log(`torch-node: ${err}`); }
}

// ---- table ----
// add1-dispose and chain4-tidy exist only in torch-node; C++ and Python free results
// deterministically, so their add1 / chain4 figures are the reference (marked with *).
const REFERENCE = { 'add1-dispose': 'add1', 'chain4-tidy': 'chain4' };
function val(impl, w) {
  const r = results[impl]?.results;
  if (!r) return null;
  if (w in r) return { ns: r[w], ref: false };
  if (REFERENCE[w] in r) return { ns: r[REFERENCE[w]], ref: true };
  return null;
}
const fmtNs = (v) => (v ? `${v.ns.toFixed(1)}${v.ref ? '*' : ''}` : 'n/a');
const fmtRatio = (n, d) => (n && d ? `${(n.ns / d.ns).toFixed(2)}x` : 'n/a');
const header = ['workload', 'C++ ns', 'Python ns', 'torch-node ns', 'node/python', 'node/C++'];
const rows = WORKLOADS.map((w) => {
  const c = val('cpp', w), p = val('python', w), n = val('node', w);
  return [w, fmtNs(c), fmtNs(p), fmtNs(n), fmtRatio(n, p), fmtRatio(n, c)];
});
// Python/C++ for context (how much of the floor PyTorch itself adds).
const pyRows = WORKLOADS.filter((w) => !(w in REFERENCE)).map((w) => [w, fmtRatio(val('python', w), val('cpp', w))]);

function textTable(h, rs) {
  const w = h.map((_, i) => Math.max(h[i].length, ...rs.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(h), w.map((x) => '-'.repeat(x)).join('  '), ...rs.map(line)].join('\n');
}
function mdTable(h, rs) {
  return [`| ${h.join(' | ')} |`, `|${h.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...rs.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const errors = Object.entries(results).filter(([, r]) => r.error).map(([k, r]) => `${k}: ${r.error.split('\n')[0]}`);
console.log('\nPer-op overhead, ns per iteration (mean of 5 runs, GC included), 1 intra-op thread\n');
console.log(textTable(header, rows));
console.log('\n* C++/Python free results deterministically: their add1 / chain4 figures, for reference.');
console.log('\nPython/C++: ' + pyRows.map(([w, r]) => `${w} ${r}`).join(', '));
if (errors.length) console.log('\nMissing columns:\n  ' + errors.join('\n  '));

// ---- machine info + RESULTS.md ----
let cpuModel = 'unknown';
try { cpuModel = /^model name\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown'; } catch { cpuModel = os.cpus()[0]?.model ?? 'unknown'; }
// (GNU nproc honours OMP_NUM_THREADS, so ask it with the unmodified environment)
const nproc = sh('nproc', [], { env: process.env }).stdout.trim() || String(os.availableParallelism?.() ?? os.cpus().length);
let pyVersion = results.python?.python ?? null;
if (!pyVersion && havePython) pyVersion = (sh(python, ['--version']).stdout || '').trim().replace(/^Python /, '') || null;
const ltVersion = libtorchVersion(libtorch);
let sameLib = '';
if (addonLibtorch && path.resolve(addonLibtorch) !== libtorch) {
  const h1 = sha256(path.join(libtorch, 'lib', 'libtorch_cpu.so'));
  const h2 = sha256(path.join(addonLibtorch, 'lib', 'libtorch_cpu.so'));
  sameLib = h1 && h1 === h2
    ? ` The addon is built against \`${addonLibtorch}\` (${libtorchVersion(addonLibtorch)}), whose \`libtorch_cpu.so\` is byte-identical (sha256 ${h1.slice(0, 12)}…).`
    : ` **Note:** the addon is built against \`${addonLibtorch}\` (${libtorchVersion(addonLibtorch)}), whose \`libtorch_cpu.so\` differs from this one.`;
}

if (addonLibtorch && path.resolve(addonLibtorch) === libtorch) sameLib = ' The torch-node addon is built against this same directory.';
const libNote = !pyTorchDir
  ? `The C++ program uses \`${libtorch}\`; no Python torch was found.`
  : path.resolve(pyTorchDir) === libtorch
    ? 'The C++ program and Python run on the same libtorch build (the Python torch package directory).'
    : `**Note:** the C++ program uses \`${libtorch}\` (LIBTORCH), Python its own \`${pyTorchDir}\`.`;
const resultsPath = path.join(benchDir, 'RESULTS.md');
const PLACEHOLDER = '_(placeholder: to be filled in — the overhead predicted per layer before measuring, and how the measurements compare.)_';
let predicted = PLACEHOLDER;
try { // keep a filled-in paragraph across reruns
  const old = fs.readFileSync(resultsPath, 'utf8');
  const m = /## Predicted vs measured\n\n([\s\S]*)$/.exec(old);
  if (m && m[1].trim() && !m[1].includes('placeholder: to be filled in')) predicted = m[1].trim();
} catch { /* first run */ }

const md = `# Per-op overhead: C++ vs PyTorch vs torch-node

Generated by \`node --expose-gc bench/run.mjs\`${scale !== 1 ? ` (scale ${scale})` : ''} on ${new Date().toISOString()}.

## Machine

| | |
| --- | --- |
| CPUs (\`nproc\`) | ${nproc} |
| CPU model | ${cpuModel} |
| Node.js | ${process.version} |
| Python | ${pyVersion ?? 'n/a'} |
| libtorch | ${ltVersion} (\`${libtorch}\`) |
| intra-op threads | 1 (\`set_num_threads(1)\`, OMP_NUM_THREADS=1) |

${libNote}${sameLib}

## Results

Nanoseconds per iteration, the mean of 5 timed runs after a warm-up (a best-of would hide GC pauses), timed inside each program
(process start-up excluded). Lower is better.

${mdTable(header, rows)}

\\* C++ and Python free each result deterministically (destructor / refcount), so their \`add1\` and
\`chain4\` figures are shown for reference.

Python/C++: ${pyRows.map(([w, r]) => `${w} ${r}`).join(', ')}.
${errors.length ? `\nMissing columns:\n\n${errors.map((e) => `- ${e}`).join('\n')}\n` : ''}
Workloads (1-element float32 tensors \`a\`, \`b\`):

- \`add1\`: \`c = a + b\` (\`a.add(b)\` in torch-node), result dropped each iteration (torch-node: left to the GC).
- \`add1-dispose\`: torch-node only, \`a.add(b).dispose()\` — explicit disposal instead of the GC.
- \`chain4-tidy\`: torch-node only, \`chain4\` inside \`torch.tidy(() => ...)\` — its 4 temporaries freed when the scope ends.
- \`chain4\`: \`((a + b) * b).relu().sum()\` — 4 ops, 4 temporaries.
- \`fromArray\`: a 16-element float32 tensor from a host list (C++: \`at::from_blob(...).clone()\`, Python: \`torch.tensor(list)\`, torch-node: \`torch.tensor(array)\`).
- \`item\`: \`a.item()\`.

## Predicted vs measured

${predicted}
`;
fs.writeFileSync(resultsPath, md);
console.log(`\nwrote ${path.relative(root, resultsPath)}`);
process.exitCode = results.cpp?.results || results.python?.results || results.node?.results ? 0 : 1;
