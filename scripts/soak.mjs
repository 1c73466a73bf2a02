// Soak test (a script, not a test): trains a small classifier for a long time and records,
// once per interval, RSS, the V8 heap, external memory (the tensor bytes the addon reports to
// V8) and torch.liveTensors(), then says whether memory stayed flat after warm-up.
//   node scripts/soak.mjs [--minutes 30] [--interval 60] [--warmup 2] [--out soak.json]
// Writes the samples as JSON and CSV (--out, default soak-<time>.json in the OS temp folder).
// Each step mixes what long runs do: forward/backward/Adam, a no-grad eval, tensors made from
// JS arrays and read back, and every few hundred steps a torch.save + torch.load round-trip.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as torch from 'torch-node';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    interval: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '2' },
    out: { type: 'string', default: path.join(os.tmpdir(), `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`) },
  },
});
const minutes = Number(args.minutes);
const intervalMs = Number(args.interval) * 1000;
const warmupMs = Number(args.warmup) * 60_000;
const { nn, optim } = torch;
const MB = 2 ** 20;

torch.manualSeed(0);
const model = new nn.Sequential(new nn.Linear(64, 128), new nn.ReLU(), new nn.Linear(128, 128), new nn.ReLU(), new nn.Linear(128, 10));
const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
const lossFn = new nn.CrossEntropyLoss();
const checkpoint = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'soak-')), 'model.pt');

let steps = 0;
let lastLoss = NaN;
function step() {
  const x = torch.randn(64, 64);
  const y = x.narrow(1, 0, 10).argmax(1); // a learnable target: which of the first 10 inputs is largest
  optimizer.zeroGrad();
  const loss = lossFn.forward(model.forward(x), y);
  loss.backward();
  optimizer.step();
  lastLoss = loss.item();
  torch.noGrad(() => model.forward(torch.tensor(Array.from({ length: 4 }, (_, i) => Array(64).fill(i / 4)))).argmax(1).tolist());
  if (++steps % 500 === 0) {
    torch.save(model.stateDict(), checkpoint);
    model.loadStateDict(torch.load(checkpoint));
  }
}

const samples = [];
function sample(start) {
  const m = process.memoryUsage();
  const s = {
    minute: +((Date.now() - start) / 60_000).toFixed(2), steps, rssMB: +(m.rss / MB).toFixed(1),
    heapUsedMB: +(m.heapUsed / MB).toFixed(1), externalMB: +(m.external / MB).toFixed(1),
    arrayBuffersMB: +(m.arrayBuffers / MB).toFixed(1), liveTensors: torch.liveTensors(), loss: +lastLoss.toFixed(4),
  };
  samples.push(s);
  console.log(Object.entries(s).map(([k, v]) => `${k} ${v}`).join('  '));
}

// Least-squares slope of y over x.
function slope(points, key) {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.minute, 0) / n;
  const my = points.reduce((a, p) => a + p[key], 0) / n;
  const num = points.reduce((a, p) => a + (p.minute - mx) * (p[key] - my), 0);
  const den = points.reduce((a, p) => a + (p.minute - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

const start = Date.now();
let next = start;
sample(start);
while (Date.now() - start < minutes * 60_000) {
  for (let i = 0; i < 20; i++) step();
  await new Promise((resolve) => setImmediate(resolve)); // let finalizers and timers run, as a real app would
  if (Date.now() >= next + intervalMs) {
    next += intervalMs;
    sample(start);
  }
}
sample(start);

// Verdict: after warm-up, RSS may drift by at most 1 MB per minute (2 MB/min for the heap
// and external memory together) and the number of live tensors stays bounded.
const settled = samples.filter((s) => s.minute * 60_000 >= warmupMs);
const trend = Object.fromEntries(['rssMB', 'heapUsedMB', 'externalMB', 'liveTensors'].map((k) => [k, +slope(settled, k).toFixed(3)]));
const live = settled.map((s) => s.liveTensors);
const flat = settled.length >= 3 && trend.rssMB < 1 && trend.heapUsedMB + trend.externalMB < 2 && Math.max(...live) - Math.min(...live) < 1000;
const verdict = settled.length < 3 ? 'too short to judge (need 3 samples after warm-up)' : flat ? 'flat after warm-up' : 'growing';
const summary = { minutes, steps, stepsPerSecond: +(steps / ((Date.now() - start) / 1000)).toFixed(1), warmupMinutes: warmupMs / 60_000, trendPerMinute: trend, verdict };
fs.writeFileSync(args.out, JSON.stringify({ summary, samples }, null, 2));
const keys = Object.keys(samples[0]);
fs.writeFileSync(args.out.replace(/\.json$/, '') + '.csv', [keys.join(','), ...samples.map((s) => keys.map((k) => s[k]).join(','))].join('\n') + '\n');
console.log(JSON.stringify(summary));
console.log(`soak: ${verdict} (samples in ${args.out} and .csv)`);
fs.rmSync(path.dirname(checkpoint), { recursive: true, force: true });
