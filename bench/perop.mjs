// Per-op overhead, torch-node: the same workloads as bench/cpp/perop.cc and
// bench/perop.py, one intra-op thread. Prints one JSON line:
//   {"impl":"node", ..., "results":{"add1":ns, ...}}
// Needs the compiled CommonJS build (npx tsc -p tsconfig.json -> dist/cjs) and the addon.
// Usage: node --expose-gc bench/perop.mjs [scale]   (scale multiplies the iteration counts)
// TORCH_NODE_BENCH_MODULE=/path/to/module.js swaps in another implementation (e.g. a stub).
import { pathToFileURL } from 'node:url';

const RUNS = 5;

const modUrl = process.env.TORCH_NODE_BENCH_MODULE
  ? pathToFileURL(process.env.TORCH_NODE_BENCH_MODULE).href
  : new URL('../dist/cjs/index.js', import.meta.url).href;
const mod = await import(modUrl);
// CommonJS default import = module.exports (named exports live on it).
const torch = typeof mod.default?.ones === 'function' ? mod.default : mod;

/**
 * Mean over RUNS timed runs of body(n) (which loops n times), ns per iteration. The mean,
 * not the best run: results are freed in GC pauses that land in some runs and not others,
 * and a best-of would hide them. No forced GC: in the steady state each run inherits about
 * as much uncollected garbage from the previous one as it leaves behind.
 */
const cpuNs = {}; // workload -> process CPU ns per iteration (less sensitive to other load)
function bench(n, body, name) {
  body(Math.max(Math.floor(n / 10), 1000)); // warm-up (lets V8 optimise the loop)
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < RUNS; r++) body(n);
  const wall = Number(process.hrtime.bigint() - t0) / (RUNS * n);
  const c = process.cpuUsage(c0);
  cpuNs[name] = ((c.user + c.system) * 1000) / (RUNS * n);
  return wall;
}

const argScale = Number(process.argv[2] ?? process.env.BENCH_SCALE ?? 1);
const scale = argScale > 0 ? argScale : 1;
const N = (base) => Math.max(Math.floor(base * scale), 10);

torch.setNumThreads(1);

const a = torch.ones(1);
const b = torch.ones(1);
const xs = Array.from({ length: 16 }, (_, i) => 0.5 * (i + 1));
let sink = 0;

function add1(n) {
  for (let i = 0; i < n; i++) {
    const c = a.add(b); // dropped: freed by the GC (finalizer)
  }
}
function add1Dispose(n) {
  for (let i = 0; i < n; i++) {
    const c = a.add(b);
    c.dispose(); // explicit, deterministic free
  }
}
function chain4(n) {
  for (let i = 0; i < n; i++) {
    const c = a.add(b).mul(b).relu().sum();
  }
}
function chain4Tidy(n) {
  for (let i = 0; i < n; i++) {
    torch.tidy(() => { a.add(b).mul(b).relu().sum(); }); // all 4 temporaries freed at once
  }
}
function fromArray(n) {
  for (let i = 0; i < n; i++) {
    const t = torch.tensor(xs);
  }
}
function item(n) {
  let acc = 0;
  for (let i = 0; i < n; i++) acc += a.item();
  sink += acc;
}

// Sanity: same dtype and values as the other implementations.
{
  const t = torch.tensor(xs);
  const d = String(t.dtype?.name ?? t.dtype);
  if (!/float32|Float/i.test(d) && d !== 'undefined') throw new Error(`torch.tensor(numbers) gave dtype ${d}, expected float32`);
  const s = a.add(b).mul(b).relu().sum().item();
  if (s !== 2) throw new Error(`chain4 gave ${s}, expected 2`);
}

const results = {
  add1: bench(N(200000), add1, 'add1'),
  'add1-dispose': bench(N(200000), add1Dispose, 'add1-dispose'),
  chain4: bench(N(100000), chain4, 'chain4'),
  'chain4-tidy': bench(N(100000), chain4Tidy, 'chain4-tidy'),
  fromArray: bench(N(200000), fromArray, 'fromArray'),
  item: bench(N(200000), item, 'item'),
};
const round1 = (x) => Math.round(x * 10) / 10;
console.log(JSON.stringify({
  impl: 'node',
  node: process.version,
  threads: typeof torch.getNumThreads === 'function' ? torch.getNumThreads() : null,
  gcExposed: typeof globalThis.gc === 'function',
  results: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, round1(v)])),
  cpu: Object.fromEntries(Object.entries(cpuNs).map(([k, v]) => [k, round1(v)])),
  sink: sink > 0 ? 1 : 0,
}));
