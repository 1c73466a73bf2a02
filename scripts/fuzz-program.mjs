#!/usr/bin/env node
// A seeded random-program fuzzer for torch-node. It writes random programs of API calls
// (operators from the generated op table, one call in ten to any torch.ops.aten overload,
// private ones included, on random tensors of random shapes, dtypes and strides; indexing,
// data access, disposal, tidy scopes, GC, autograd, hooks, custom Functions, save/load, and
// async jobs (TorchScript forwardAsync, itemAsync, ...) racing with all of it) and runs them
// in child processes, each logging the index of the step it is about to run. Expected JS Errors are fine; a child that dies by a signal, aborts, throws a
// non-Error, or hangs is a finding. Each finding is replayed and shrunk (delta debugging)
// to the smallest program that still fails, printed as a test case.
//
//   nice node scripts/fuzz-program.mjs                     100,000 calls: seeds 1.., 2,000 calls each
//   node scripts/fuzz-program.mjs --calls 2000 --seed 7    one quick run (CI: tests/fuzz-regressions.test.ts)
//   node scripts/fuzz-program.mjs --replay program.json    runs a saved program once and says how it ended
//
// Options: --calls N (total), --chunk N (calls per child), --seed S (first seed),
// --timeout MS (per child), --out DIR (logs and findings; default build/fuzz), --json (one
// summary line), --keep (keep the programs that passed too). Uses the built package
// (dist/): run `npm run build:ts` first.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist', 'cjs', 'index.js');
const self = fileURLToPath(import.meta.url);

function options(argv) {
  const o = { calls: 100_000, chunk: 2000, seed: 1, timeout: 60_000, out: path.join(root, 'build', 'fuzz'), json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') o.json = true;
    else if (a === '--keep') o.keep = true;
    else if (a === '--worker') o.worker = true;
    else if (['--calls', '--chunk', '--seed', '--timeout'].includes(a)) o[a.slice(2)] = Number(argv[++i]);
    else if (['--out', '--replay', '--program', '--progress'].includes(a)) o[a.slice(2)] = argv[++i];
    else throw new Error(`fuzz-program: unknown option ${a}`);
  }
  return o;
}

// ---- random programs ----------------------------------------------------------------------

/** mulberry32: small, fast, and the same sequence for a seed on every machine. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (list) => list[int(list.length)];
  const chance = (p) => next() < p;
  const weighted = (table) => {
    let r = next() * table.reduce((s, [w]) => s + w, 0);
    for (const [w, v] of table) if ((r -= w) < 0) return v;
    return table[table.length - 1][1];
  };
  return { next, int, pick, chance, weighted };
}

const SLOTS = 12;
const SHAPES = ['[]', '[0]', '[1]', '[3]', '[2, 3]', '[3, 3]', '[1, 3]', '[2, 1, 3]', '[2, 3, 4]', '[0, 3]', '[3, 0]', '[4, 4]', '[1, 1]', '[2, 2, 2, 2]', '[4, 3]'];
const DTYPES = [[40, 'float32'], [15, 'float64'], [15, 'int64'], [8, 'bool'], [5, 'int32'], [5, 'uint8'], [4, 'float16'], [3, 'bfloat16'], [3, 'complex64'], [2, 'int8']];
const STRINGS = ['mean', 'sum', 'none', 'reflect', 'constant', 'replicate', 'circular', 'floor', 'trunc', 'fro', 'nuc', 'ortho',
  'forward', 'backward', 'linear', 'nearest', 'left', 'right', 'L', 'U', 'reduced', 'complete', 'tanh', 'ij', 'xy', 'cpu', 'meta', 'x'];
const JUNK = ['undefined', 'null', "'x'", '{}', 'NaN', "[1, 'a']", '2n ** 70n', 'Infinity', '1.5', '-1', '[[1, 2], [3]]', 'gen',
  'reentrant()'];
// Operators the fuzzer leaves out, and why.
const SKIP = new Set([
  'fromFile', 'from_file', // read files named by their argument
  '_print', // prints its argument to stdout
]);

/** The generated operator table (names, overloads, parameter kinds), from dist. */
function opTable() {
  const require = createRequire(import.meta.url);
  const g = require(path.join(root, 'dist', 'cjs', 'generated', 'ops.js'));
  const entries = [];
  for (const [name, idx] of Object.entries(g.functions)) if (!SKIP.has(name)) entries.push({ call: `torch.${name}`, idx, method: false });
  for (const [name, idx] of Object.entries(g.methods)) if (!SKIP.has(name)) entries.push({ call: name, idx, method: true });
  for (const ns of ['linalg', 'special', 'fft']) {
    for (const [name, idx] of Object.entries(g[ns])) entries.push({ call: `torch.${ns}.${name}`, idx, method: false });
  }
  // torch.ops.aten: every registered operator, private ones included, one overload at a time.
  const aten = [];
  for (const [name, idx] of Object.entries(g.aten)) {
    if (SKIP.has(name)) continue;
    for (const i of idx) aten.push({ call: `torch.ops.aten.${name}.${g.overloads[i][1] || 'default'}`, idx: [i], method: false });
  }
  return { entries, aten, overloads: g.overloads };
}

function functionalNames() {
  const torch = createRequire(import.meta.url)(dist);
  return Object.keys(torch.nn.functional).filter((n) => typeof torch.nn.functional[n] === 'function');
}

/** Random JS source for values: tensors from slots, numbers, lists, dtypes, junk. */
function valueMaker(r) {
  const slot = () => `s[${r.int(SLOTS)}]`;
  const smallInt = () => String(r.weighted([[6, r.int(5) - 1], [1, r.pick([-2, 4, 5])]]));
  const float = () => r.pick(['0', '0.5', '-1.5', '2', '0.001', '1e-8', 'NaN', 'Infinity', '-Infinity', '3']);
  const list = (one, max = 3) => `[${Array.from({ length: r.int(max + 1) }, one).join(', ')}]`;
  const junk = () => r.pick(JUNK);
  const byKind = {
    T: () => (r.chance(0.9) ? slot() : r.pick(['1', '0.5', 'true'])),
    'T[]': () => list(slot),
    'T?[]': () => list(() => (r.chance(0.8) ? slot() : 'null')),
    i: smallInt,
    'i[]': () => r.weighted([[2, smallInt()], [7, list(() => String(r.int(4)))], [1, 'reentrant()']]),
    f: float,
    'f[]': () => list(float),
    b: () => (r.chance(0.5) ? 'true' : 'false'),
    'b[]': () => list(() => (r.chance(0.5) ? 'true' : 'false')),
    s: () => r.weighted([[4, smallInt()], [2, float()], [1, 'true']]),
    's[]': () => list(() => smallInt()),
    str: () => `'${r.pick(STRINGS)}'`,
    dtype: () => `torch.${r.weighted(DTYPES)}`,
    layout: () => r.weighted([[9, "'strided'"], [1, "'sparse_coo'"]]),
    mf: () => r.pick(["'contiguous_format'", "'channels_last'", "'preserve_format'"]),
    dev: () => r.weighted([[8, "'cpu'"], [2, "'meta'"], [1, "'cuda'"]]),
    gen: () => 'gen',
  };
  const of = (kind) => (r.chance(0.08) ? junk() : (byKind[kind] ?? junk)());
  const any = () => r.weighted([[5, slot()], [3, smallInt()], [1, float()], [1, junk()], [1, list(() => String(r.int(4)))]]);
  return { slot, of, any, byKind };
}

/** One random step: { src } for a call, or { tidy: [steps], keep } for a tidy scope. */
function stepMaker(r, table, functional) {
  const v = valueMaker(r);
  const dst = () => r.int(SLOTS);

  const makeTensor = (k = dst()) => {
    const shape = r.pick(SHAPES);
    const dtype = `torch.${r.weighted(DTYPES)}`;
    const base = r.weighted([
      [4, `torch.randn(${shape}).to(${dtype})`], [2, `torch.zeros(${shape}, { dtype: ${dtype} })`],
      [2, `torch.arange(${r.int(13)}).to(${dtype})`], [1, `torch.full(${shape}, ${v.of('s')}, { dtype: ${dtype} })`],
      [1, `torch.empty(${shape}, { dtype: ${dtype} })`], [1, `torch.tensor(${r.pick(['[[1, 2], [3, 4]]', '[true, false]', '[1n, 2n]', '5', '[]'])})`],
      [1, `torch.fromArray(new Float32Array(${r.int(7)}))`], [1, `torch.eye(${r.int(4)}, { dtype: ${dtype} })`],
      [1, `torch.randn(${shape}, { requiresGrad: true })`],
    ]);
    const view = r.weighted([[5, ''], [1, '.t()'], [1, ".get('::2')"], [1, '.unsqueeze(0).expand(2, -1)'], [1, '.transpose(0, -1)'],
      [1, '.flip(0)'], [1, ".get('..., None')"], [1, '.diagonal()'], [1, '.narrow(0, 0, 1)'], [1, '.detach()']]);
    return `S(${k}, ${base}${view})`;
  };

  const op = () => {
    const e = r.chance(0.1) ? r.pick(table.aten) : r.pick(table.entries);
    const [, , params] = table.overloads[r.pick(e.idx)];
    const positional = [];
    const kw = [];
    for (const [name, kind, flags] of params) {
      if (e.method && name === 'self') continue;
      const optional = flags & 3;
      if (flags & 4) {
        if (r.chance(0.3)) kw.push(`${name}: ${v.of(kind)}`);
      } else if (!optional || r.chance(0.6) || positional.length < kw.length) positional.push(v.of(kind));
      else break; // later positional arguments keep their defaults
    }
    if (kw.length) positional.push(`{ ${kw.join(', ')} }`);
    if (r.chance(0.05)) positional.push(v.any()); // one argument too many
    const args = positional.join(', ');
    return `S(${dst()}, ${e.method ? `${v.slot()}.${e.call}(${args})` : `${e.call}(${args})`})`;
  };

  const index = () => {
    const item = r.pick(["'0'", "':, 1'", "'::2'", "'..., None'", "'-1:'", "'1:3, 0'", '0', '-1', '5', 's[1]', '[0, 1]', 'null', "'a'"]);
    return r.chance(0.6) ? `S(${dst()}, ${v.slot()}.get(${item}))` : `${v.slot()}.set(${item}, ${r.chance(0.5) ? v.of('s') : v.slot()})`;
  };

  const data = () => r.pick([
    `${v.slot()}.item()`, `${v.slot()}.tolist()`, `String(${v.slot()})`, `${v.slot()}.toTypedArray()`,
    `{ const a = ${v.slot()}.typedArrayView(); if (a.length) a[0] = a[a.length - 1]; }`,
    `${v.slot()}.shape`, `${v.slot()}.stride()`, `${v.slot()}.isContiguous()`, `${v.slot()}.grad`,
    `${v.slot()}.numel()`, `${v.slot()}.to(${v.byKind.dtype()})`, `${v.slot()}.to(${v.byKind.dev()})`,
  ]);

  const autograd = () => r.pick([
    `${v.slot()}.sum().backward()`, `${v.slot()}.backward()`, `${v.slot()}.sum().backward({ retainGraph: true })`,
    `${v.slot()}.requiresGrad_()`, `S(${dst()}, Double.apply(${v.slot()}))`, `S(${dst()}, WrongGrad.apply(${v.slot()}))`,
    `torch.autograd.grad([${v.slot()}.sum()], [${v.slot()}], { allowUnused: true })`,
    `${v.slot()}.registerHook((g) => g.mul(2))`, `${v.slot()}.registerHook((g) => { g.dispose(); })`,
    `${v.slot()}.registerHook(() => torch.ones(7))`, `${v.slot()}.registerHook(() => { throw new RangeError('hook'); })`,
    `${v.slot()}.grad = ${v.slot()}`, `S(${dst()}, ${v.slot()}.grad)`, `S(${dst()}, torch.noGrad(() => ${v.slot()}.mul(2)))`,
    `S(${dst()}, torch.inferenceMode(() => ${v.slot()}.add(1)))`,
  ]);

  const async = () => r.pick([
    `J(m.forwardAsync(${v.slot()}, ${v.of('f')}))`,
    `{ const x = ${v.slot()}.clone(); J(m.forwardAsync(x)); x.dispose(); }`,
    `{ const x = torch.randn(${r.int(5)}, 3); checkAsync(x); x.dispose(); }`,
    `J(m.runMethodAsync('describe', ['a', 'bb']))`,
    `J(m.forwardAsync(Double.apply(${v.slot()})))`,
    `startAsync(${v.slot()}, ${r.int(3)})`, `{ const x = ${v.slot()}.clone(); startAsync(x, ${r.int(3)}); x.dispose(); }`,
  ]);

  const misc = () => r.pick([
    `S(${dst()}, torch.deserialize(torch.serialize(${v.slot()})))`,
    `torch.deserialize(torch.serialize({ a: ${v.slot()}, b: [1, 'x', null] }))`,
    `S(${dst()}, linear.forward(${v.slot()}))`, `S(${dst()}, conv.forward(${v.slot()}))`,
    `S(${dst()}, lstm.forward(${v.slot()})[0])`,
    `S(${dst()}, F.${r.pick(functional)}(${Array.from({ length: r.int(3) + 1 }, v.any).join(', ')}))`,
    `S(${dst()}, torch.cat([${v.slot()}, ${v.slot()}]))`, `S(${dst()}, ${v.slot()}.contiguous())`,
  ]);

  const simple = () => r.weighted([
    [45, op], [12, () => makeTensor()], [6, index], [6, data], [2, () => `${v.slot()}.dispose()`],
    [1, () => `s[${dst()}] = undefined`], [5, autograd], [4, misc], [1, () => 'gc()'],
  ])();

  const step = (depth = 0) => {
    const kind = r.weighted([[90, 'simple'], [4, 'async'], [3, 'await'], [depth < 2 ? 2 : 0, 'tidy']]);
    if (kind === 'simple') return { src: simple() };
    if (kind === 'async') return { src: async() };
    if (kind === 'await') return depth ? { src: simple() } : { src: r.chance(0.5) ? 'await settle()' : 'await tick()' };
    const body = Array.from({ length: r.int(6) + 1 }, () => step(depth + 1));
    return { tidy: body, keep: r.int(SLOTS) };
  };
  step.makeTensor = makeTensor;
  return step;
}

/** The calls a step makes (a tidy scope counts its body and itself). */
const countCalls = (steps) => steps.reduce((n, st) => n + (st.tidy ? 1 + countCalls(st.tidy) : 1), 0);

function generate(seed, calls, table, functional) {
  const r = rng(seed);
  const step = stepMaker(r, table, functional);
  // Every slot starts with a tensor, so the first calls have something to work on.
  const steps = Array.from({ length: Math.min(SLOTS, calls) }, (_, k) => ({ src: step.makeTensor(k) }));
  for (let n = steps.length; n < calls;) {
    const st = step();
    steps.push(st);
    n += countCalls([st]);
  }
  return steps;
}

// ---- running programs ---------------------------------------------------------------------

// What every program starts with: the slots, the helpers its steps call, a TorchScript module
// and a few layers. Printed verbatim into regression tests, so it is plain JS.
const PRELUDE = `
const s = new Array(${SLOTS});
const stats = { calls: 0, errors: 0, bad: [] };
// Expected JS Errors are fine; anything else thrown is a finding.
const E = (e) => {
  stats.errors++;
  if (!(e instanceof Error) || typeof e.message !== 'string' || !e.message) stats.bad.push(String(e));
};
// Stores a result (the first tensor of a list), dropping huge ones so programs stay small.
const S = (k, value) => {
  const t = Array.isArray(value) ? value.find((x) => torch.isTensor(x)) : value;
  if (torch.isTensor(t) && !t.isDisposed && t.numel() > 4096) t.dispose();
  s[k] = t;
};
const jobs = [];
const J = (promise) => { jobs.push(promise.then(() => undefined, E)); };
const settle = () => Promise.all(jobs.splice(0));
const tick = () => new Promise((resolve) => setImmediate(resolve));
const gc = globalThis.gc ?? (() => {});
// An array whose element getter calls torch while the native side converts it (re-entry).
const reentrant = () => {
  const a = [2, 1];
  Object.defineProperty(a, 1, { get() { torch.ones(3).add(1).sum(); return 1; } });
  return a;
};
// The async copies Tensor offers (itemAsync, ...), those this build has.
const asyncCopies = ['itemAsync', 'toTypedArrayAsync', 'tolistAsync'].filter((n) => typeof torch.Tensor.prototype[n] === 'function');
const startAsync = (x, k) => { if (asyncCopies.length) J(x[asyncCopies[k % asyncCopies.length]]()); };
const gen = new torch.Generator().manualSeed(7);
const m = torch.jit.load(fixtures + '/scripted.pt').eval();
// An async forward must give the synchronous one's numbers.
const checkAsync = (x) => {
  const expected = m.forward(x)[0].tolist();
  J(m.forwardAsync(x).then(([y]) => {
    if (JSON.stringify(y.tolist()) !== JSON.stringify(expected)) stats.bad.push('forwardAsync gave different numbers');
  }));
};
class Double extends torch.autograd.Function {
  static forward(ctx, x) { return x.mul(2); }
  static backward(ctx, g) { return [g.mul(2)]; }
}
class WrongGrad extends torch.autograd.Function {
  static forward(ctx, x) { return x.clone(); }
  static backward(ctx, g) { return [torch.ones(7)]; }
}
const { nn } = torch;
const F = nn.functional;
const linear = new nn.Linear(3, 2);
const conv = new nn.Conv2d(1, 2, 2);
const lstm = new nn.LSTM(3, 2);
`;

/** A step as statements: each call in its own try, a tidy scope around its body. */
function render(st, indent = '') {
  if (!st.tidy) return `${indent}try { stats.calls++; ${st.src}; } catch (e) { E(e); }`;
  const body = st.tidy.map((b) => render(b, indent + '  ')).join('\n');
  return `${indent}try {\n${indent}  stats.calls++;\n${indent}  torch.tidy(() => {\n${body}\n${indent}    return s[${st.keep}];\n${indent}  });\n${indent}} catch (e) { E(e); }`;
}

/** A whole program as a standalone CommonJS script (what regression tests run). */
function programSource(steps, distPath = dist) {
  return `// Generated by scripts/fuzz-program.mjs (a minimized fuzzer finding).
const torch = require(${JSON.stringify(distPath)});
const fixtures = ${JSON.stringify(path.join(root, 'tests', 'fixtures'))};
${PRELUDE}
(async () => {
${steps.map((st) => render(st, '  ')).join('\n')}
  await settle();
  if (stats.bad.length) throw new Error('non-Error throws or wrong results: ' + stats.bad.join('; '));
  console.log(JSON.stringify(stats));
})().catch((e) => { console.error(e); process.exit(3); });
`;
}

/** The worker: runs a program step by step, writing each step's index before running it. */
async function worker(o) {
  const torch = createRequire(import.meta.url)(dist);
  const steps = JSON.parse(fs.readFileSync(o.program, 'utf8'));
  const progress = o.progress ? fs.openSync(o.progress, 'w') : null;
  const fixtures = path.join(root, 'tests', 'fixtures');
  const AsyncFunction = (async () => {}).constructor;
  const names = ['s', 'stats', 'E', 'S', 'J', 'settle', 'tick', 'gc', 'reentrant', 'startAsync', 'gen', 'm', 'checkAsync', 'Double', 'WrongGrad', 'nn', 'F', 'linear', 'conv', 'lstm'];
  const helpers = new Function('torch', 'fixtures', `${PRELUDE}\nreturn [${names.join(', ')}];`)(torch, fixtures);
  const stats = helpers[1];
  const t0 = performance.now();
  for (let i = 0; i < steps.length; i++) {
    if (progress !== null) fs.writeSync(progress, `${i}\n`);
    const run = new AsyncFunction('torch', ...names, render(steps[i]));
    await run(torch, ...helpers);
  }
  await helpers[names.indexOf('settle')]();
  const result = { calls: stats.calls, errors: stats.errors, bad: stats.bad.slice(0, 5), ms: Math.round(performance.now() - t0) };
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exitCode = stats.bad.length ? 3 : 0;
}

// ---- the harness: children, findings, minimization ----------------------------------------

/** Runs a program in a child; how it ended: { ok, why, stats, lastStep }. */
function runChild(programFile, timeout, progressFile = null) {
  const args = ['--expose-gc', self, '--worker', '--program', programFile];
  if (progressFile) args.push('--progress', progressFile);
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout, killSignal: 'SIGKILL', maxBuffer: 1 << 26 });
  let lastStep = null;
  if (progressFile && fs.existsSync(progressFile)) {
    const lines = fs.readFileSync(progressFile, 'utf8').trim().split('\n');
    lastStep = lines.length && lines[0] !== '' ? Number(lines[lines.length - 1]) : null;
  }
  let stats = null;
  try { stats = JSON.parse(r.stdout.trim().split('\n').pop()); } catch { /* it died before printing */ }
  if (r.error?.code === 'ETIMEDOUT') return { ok: false, why: `hang (no exit within ${timeout} ms)`, stats, lastStep };
  if (r.signal) return { ok: false, why: `killed by ${r.signal}`, stats, lastStep, stderr: r.stderr.slice(-2000) };
  if (r.status === 3) return { ok: false, why: `bad throw or wrong result: ${stats?.bad?.join('; ')}`, stats, lastStep };
  if (r.status !== 0) return { ok: false, why: `exit status ${r.status}`, stats, lastStep, stderr: r.stderr.slice(-2000) };
  return { ok: true, why: 'ok', stats, lastStep };
}

/** Delta debugging (Zeller's ddmin) over a list, with `fails(list)` the test. */
function ddmin(list, fails) {
  let n = 2;
  while (list.length >= 2) {
    const size = Math.ceil(list.length / n);
    const chunks = Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));
    let reduced = false;
    for (let i = 0; i < chunks.length && !reduced; i++) {
      const complement = chunks.filter((_, j) => j !== i).flat();
      if (chunks.length > 2 && fails(chunks[i])) { list = chunks[i]; n = 2; reduced = true; }
      else if (fails(complement)) { list = complement; n = Math.max(n - 1, 2); reduced = true; }
    }
    if (!reduced) {
      if (n >= list.length) break;
      n = Math.min(list.length, n * 2);
    }
  }
  return list;
}

/** The smallest program that still fails the same way (tidy scopes unwrapped where they may be). */
function minimize(steps, why, o) {
  const file = path.join(o.out, 'candidate.json');
  const kind = why.split(' ')[0];
  let runs = 0;
  // A whole chunk runs in seconds, so a candidate still running after 20 s hangs as well.
  const timeout = Math.min(o.timeout, 20_000);
  const fails = (candidate) => {
    runs++;
    fs.writeFileSync(file, JSON.stringify(candidate));
    const r = runChild(file, timeout);
    return !r.ok && r.why.split(' ')[0] === kind;
  };
  const flatten = (list) => list.flatMap((st) => (st.tidy ? flatten(st.tidy) : [st]));
  let best = steps;
  if (fails(flatten(best))) best = flatten(best);
  // Most crashes are one call on tensors made earlier: try the slots' first tensors plus the
  // last few steps before the general search.
  for (let k = 1; k < best.length - SLOTS; k *= 2) {
    const candidate = [...best.slice(0, SLOTS), ...best.slice(-k)];
    if (fails(candidate)) { best = candidate; break; }
  }
  best = ddmin(best, fails);
  return { steps: best, runs };
}

function harness(o) {
  if (!fs.existsSync(dist)) throw new Error(`fuzz-program: ${dist} is missing: run npm run build:ts first`);
  fs.mkdirSync(o.out, { recursive: true });
  const table = opTable();
  const functional = functionalNames();
  const chunks = Math.ceil(o.calls / o.chunk);
  const findings = [];
  let calls = 0;
  let errors = 0;
  const t0 = Date.now();
  for (let c = 0; c < chunks; c++) {
    const seed = o.seed + c;
    const steps = generate(seed, Math.min(o.chunk, o.calls - c * o.chunk), table, functional);
    const programFile = path.join(o.out, `seed-${seed}.json`);
    const progressFile = path.join(o.out, `seed-${seed}.progress`);
    fs.writeFileSync(programFile, JSON.stringify(steps));
    const r = runChild(programFile, o.timeout, progressFile);
    calls += r.stats?.calls ?? countCalls(steps.slice(0, (r.lastStep ?? -1) + 1));
    errors += r.stats?.errors ?? 0;
    if (!o.json) console.log(`seed ${seed}: ${r.why}${r.stats ? ` (${r.stats.calls} calls, ${r.stats.errors} JS errors, ${r.stats.ms} ms)` : ''}`);
    if (r.ok) {
      if (o.keep) continue;
      fs.rmSync(programFile, { force: true });
      fs.rmSync(progressFile, { force: true });
      continue;
    }
    const prefix = steps.slice(0, (r.lastStep ?? steps.length - 1) + 1);
    const { steps: small, runs } = minimize(prefix, r.why, o);
    const test = path.join(o.out, `finding-seed-${seed}.js`);
    fs.writeFileSync(test, programSource(small));
    findings.push({ seed, why: r.why, lastStep: r.lastStep, steps: small.length, minimizerRuns: runs, test, stderr: r.stderr });
    if (!o.json) console.log(`  finding: ${r.why}; minimized to ${small.length} steps in ${runs} runs: ${test}\n${programSource(small)}`);
  }
  const summary = { calls, errors, seconds: Math.round((Date.now() - t0) / 100) / 10, seeds: [o.seed, o.seed + chunks - 1], findings };
  console.log(o.json ? JSON.stringify(summary) : `\n${calls} calls (${errors} expected JS errors) in ${summary.seconds} s, ${findings.length} findings`);
  process.exitCode = findings.length ? 1 : 0;
}

const o = options(process.argv.slice(2));
if (o.worker) await worker(o);
else if (o.replay) {
  const r = runChild(path.resolve(o.replay), o.timeout);
  console.log(JSON.stringify(r));
} else harness(o);

