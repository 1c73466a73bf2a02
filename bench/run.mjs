// torch-node vs PyTorch vs plain libtorch C++, on the same libtorch: per-op overhead,
// transfer, training steps, inference, start-up. Prints tables of ratios and rewrites
// bench/RESULTS.md (its hand-written part, below the marker, is kept).
//
//   npm run bench   (= node --expose-gc bench/run.mjs)
//   node --expose-gc bench/run.mjs [--quick | --scale=X] [--rounds=N] [--only=mlp,cnn]
//        [--no-cpp] [--no-python] [--no-node] [--no-perop] [--no-workloads] [--no-startup]
//        [--threads=1,0] [--no-write]   (threads 0 = each library's default)
//
// Env: LIBTORCH (libtorch root for the C++ build; default: the Python torch package dir),
//      TORCH_NODE_PYTHON (python with torch; default: scripts/python-venv.mjs's candidates,
//      bench/.venv from `npm run setup:python` first),
//      BENCH_SCALE (like --scale), TORCH_NODE_BENCH_MODULE (another build for the node programs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCpp, buildTs } from './harness/build.mjs';
import { Child } from './harness/child.mjs';
import { machineInfo, loadavg } from './harness/machine.mjs';
import { runPerop } from './harness/perop-phase.mjs';
import { markdownTables, printTables, tables, targets, WORKLOAD_NOTES } from './harness/report.mjs';
import { runStartup } from './harness/startup-phase.mjs';
import { findPython } from '../scripts/python-venv.mjs';
import { runWorkloads } from './harness/workloads-phase.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(benchDir);
const args = process.argv.slice(2);
const flag = (f) => args.includes(f);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
let scale = Number(option('scale') ?? process.env.BENCH_SCALE ?? 1);
const quick = flag('--quick');
if (quick) scale = 0.1;
if (!(scale > 0)) scale = 1;
const rounds = Number(option('rounds') ?? (quick ? 2 : 7));
const only = option('only')?.split(',');
const want = { cpp: !flag('--no-cpp'), python: !flag('--no-python'), node: !flag('--no-node') };
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const sh = (cmd, argv) => spawnSync(cmd, argv, { cwd: root, encoding: 'utf8' });

// ---- Python first: its torch package is the default LIBTORCH ----
const python = findPython('torch').python ?? 'python3'; // python3: the Python columns then report why they are missing
const probe = sh(python, ['-c', 'import torch, os; print(os.path.dirname(torch.__file__))']);
const pyTorchDir = probe.status === 0 ? probe.stdout.trim() : null;
if (!pyTorchDir) { log(`no PyTorch from ${python} (set TORCH_NODE_PYTHON): Python columns skipped`); want.python = false; }
const libtorch = path.resolve(process.env.LIBTORCH || pyTorchDir || '/usr/lib/libtorch');
const machine = machineInfo({ root, libtorch, pyTorchDir });
log(`load average at start: ${machine.loadStart}`);
const errors = [];

// ---- build ----
if (want.cpp) {
  const err = buildCpp({ benchDir, libtorch, log });
  if (err) { errors.push(`C++: ${err.split('\n')[0]}`); log(err); want.cpp = false; }
}
if (want.node && !process.env.TORCH_NODE_BENCH_MODULE) {
  const err = buildTs({ root, log });
  if (err) { errors.push(`torch-node: ${err.split('\n')[0]}`); log(err); want.node = false; }
}
const cppDir = path.join(benchDir, 'cpp', 'build');
const nodeArgs = ['--expose-gc'];
const env = { ...process.env };
// Where set (our machines set it), Node parses that certificate bundle at every start: about
// 60 ms of start-up and a malloc-heavy heap that no library causes and Python does not pay.
delete env.NODE_EXTRA_CA_CERTS;

// ---- per-op overhead (1 intra-op thread; whole processes, alternating) ----
let perop = null;
if (!flag('--no-perop')) {
  const programs = {};
  if (want.cpp) programs.cpp = [path.join(cppDir, 'perop'), []];
  if (want.python) programs.python = [python, [path.join(benchDir, 'perop.py')]];
  if (want.node) programs.node = [process.execPath, [...nodeArgs, path.join(benchDir, 'perop.mjs')]];
  const peropRounds = quick ? 1 : 3;
  log(`per-op overhead: ${peropRounds} round(s) of ${Object.keys(programs).join(', ')}`);
  perop = runPerop(programs, { rounds: peropRounds, scale, cwd: root, env: { ...env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' }, log });
}

// ---- transfer, training, inference (long-lived programs, interleaved blocks) ----
let work = null;
if (!flag('--no-workloads')) {
  const impls = {};
  if (want.cpp) impls.cpp = new Child('C++', path.join(cppDir, 'workloads'), [], { cwd: root, env });
  if (want.python) impls.python = new Child('Python', python, [path.join(benchDir, 'workloads.py')], { cwd: root, env });
  if (want.node) impls.node = new Child('torch-node', process.execPath, [...nodeArgs, path.join(benchDir, 'workloads.mjs')], { cwd: root, env });
  try {
    const first = await Object.values(impls)[0]?.send('info');
    const threads = option('threads')?.split(',').map(Number) ?? (first && first.defaultThreads > 1 ? [1, 0] : [1]);
    log(`workloads: ${rounds} rounds, threads ${threads.map((t) => t || 'default').join(' and ')}, impls ${Object.keys(impls).join(', ')}`);
    work = { ...(await runWorkloads({ impls, threads, rounds, blockSeconds: 0.4 * scale, log, only })), threads, rounds };
  } catch (e) {
    errors.push(`workloads: ${e.message.split('\n')[0]}`);
    log(e.message);
  }
  await Promise.all(Object.values(impls).map((c) => c.close().catch(() => {})));
}

// ---- start-up ----
let startup = null;
if (!flag('--no-startup')) {
  const commands = {};
  if (want.cpp) commands.cpp = [path.join(cppDir, 'workloads'), ['--startup']];
  if (want.python) commands.python = [python, ['-c', 'import torch; print(int(torch.ones(1).add(1).item()))']];
  if (want.node) {
    const source = process.env.TORCH_NODE_BENCH_MODULE ? JSON.stringify(process.env.TORCH_NODE_BENCH_MODULE) : "'torch-node'";
    commands.node = [process.execPath, ['--input-type=module', '-e', `import * as torch from ${source}; console.log(torch.ones(1).add(1).item())`]];
  }
  const runs = quick ? 3 : 9;
  log(`start-up: ${runs} runs each of ${Object.keys(commands).join(', ')}`);
  startup = { ...(await runStartup(commands, { runs, cwd: root, env, log })), runs };
}

machine.loadEnd = loadavg();
log(`load average at end: ${machine.loadEnd}`);

// ---- report ----
const ts = tables({ perop, work, startup });
printTables(ts);
const targetLines = targets({ perop, work });
console.log('\nTargets (issue 5):\n' + targetLines.join('\n').replace(/\*\*/g, ''));
for (const [impl, r] of Object.entries(perop ?? {})) if (r.error) errors.push(`per-op ${impl}: ${r.error.split('\n')[0]}`);
for (const [impl, r] of Object.entries(startup ?? {})) if (r?.error) errors.push(`start-up ${impl}: ${r.error.split('\n')[0]}`);
if (errors.length) console.log('\nMissing:\n  ' + errors.join('\n  '));

if (!flag('--no-write')) {
  const resultsPath = path.join(benchDir, 'RESULTS.md');
  fs.writeFileSync(resultsPath, renderResults({ ts, targetLines, errors }));
  console.log(`\nwrote ${path.relative(root, resultsPath)}`);
}
process.exitCode = perop || work || startup ? 0 : 1;

function renderResults({ ts, targetLines, errors }) {
  const MARKER = '<!-- Everything below this line is written by hand and kept when bench/run.mjs rewrites this file. -->';
  let kept = '## Analysis\n\n_(to be written: per target, met or the gap and its cause; predicted vs measured.)_\n';
  try {
    const old = fs.readFileSync(path.join(benchDir, 'RESULTS.md'), 'utf8');
    const i = old.indexOf(MARKER);
    if (i >= 0) kept = old.slice(i + MARKER.length).trim() + '\n';
    else { const m = /\n(## Predicted vs measured\n[\s\S]*)$/.exec(old); if (m) kept = m[1].trim() + '\n'; }
  } catch { /* first run */ }
  const infos = work?.infos ?? {};
  const py = infos.python ?? perop?.python ?? {};
  const command = `node --expose-gc bench/run.mjs${args.length ? ' ' + args.join(' ') : ''}`;
  return `# Benchmarks: torch-node vs PyTorch vs plain libtorch C++

Generated by \`${command}\` on ${new Date().toISOString()}${scale !== 1 ? ` (scale ${scale}: shorter blocks, figures noisier)` : ''}.
Ratios are torch-node's time over the other's: below 1.00x torch-node is faster.

## Machine

| | |
| --- | --- |
| CPUs (\`nproc\`) | ${machine.nproc} |
| CPU model | ${machine.cpuModel} |
| load average (1, 5, 15 min) at start | ${machine.loadStart} |
| load average at end | ${machine.loadEnd} |
| Node.js | ${machine.node} |
| Python | ${py.python ?? 'n/a'}${py.numpy ? `, numpy ${py.numpy}` : ''} |
| PyTorch (Python) | ${py.torch ?? 'n/a'} |
| libtorch (C++) | ${machine.libtorchVersion} (\`${machine.libtorch}\`) |
| default intra-op threads | ${Object.entries(infos).map(([k, v]) => `${k} ${v.defaultThreads}`).join(', ') || 'n/a'} |

${machine.notes.join(' ')}

Method: the per-op programs run whole (3 rounds, alternating C++, Python, torch-node), each
the mean of 5 runs after a warm-up, with 1 intra-op thread. The workload programs stay alive
and take commands from the runner: after warm-up and calibration (every implementation runs
the same number of iterations per block, sized for ~${(0.4 * scale).toFixed(2)} s in the slowest), ${work?.rounds ?? rounds} rounds
each run one timed block of every workload in every implementation, the order rotating per
round (A B C, B C A, ...), so load from other processes hits all three alike; the table shows
the median block. torch-node code is what a user writes (tensors left to the GC) except where
it says torch.tidy; its 100 MB transfer tensors are disposed at once.
${errors.length ? `\nMissing:\n\n${errors.map((e) => `- ${e}`).join('\n')}\n` : ''}
## Targets (issue 5), computed from the tables below

${targetLines.join('\n')}

## Figures

${markdownTables(ts)}
Workloads:

${WORKLOAD_NOTES}

${MARKER}

${kept}`;
}
