// Workloads in torch-node: transfer, training steps, CNN inference, the same models as
// bench/cpp/workloads.cc and bench/workloads.py, written with the public API as a user writes
// them (tensors left to the GC). The `-tidy` variants run the same training step inside
// torch.tidy, which disposes every temporary when the step ends: the explicit-disposal
// reference for the GC-managed target.
//
//   node --expose-gc bench/workloads.mjs   reads commands from stdin, one per line, answers one JSON line:
//     info                           {"impl":"node","torch":...,"defaultThreads":N}
//     <workload> <threads> <iters>   {"ns": wall ns per iteration, "cpu": process CPU ns per iteration}
//                                    (threads 0 = the default)
//     quit
// TORCH_NODE_BENCH_MODULE=/path/to/module.js loads another build instead of dist/cjs.
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';

const modUrl = process.env.TORCH_NODE_BENCH_MODULE
  ? pathToFileURL(process.env.TORCH_NODE_BENCH_MODULE).href
  : new URL('../dist/cjs/index.js', import.meta.url).href;
const mod = await import(modUrl);
const torch = typeof mod.default?.ones === 'function' ? mod.default : mod;
const { nn, optim } = torch;
const F = nn.functional;

const TRANSFER_FLOATS = 25_000_000; // 100 MB of float32

const mlp = () => new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
const cnn = () => new nn.Sequential(
  new nn.Conv2d(3, 32, 3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(),
  new nn.Linear(32 * 15 * 15, 64), new nn.ReLU(), new nn.Linear(64, 10));

class LstmNet extends nn.Module {
  lstm = new nn.LSTM(1, 50, { batchFirst: true });
  head = new nn.Linear(50, 1);
  forward(x) {
    const [out] = this.lstm.forward(x); // [batch, time, hidden]
    return this.head.forward(out.get(':, -1, :')); // the last step
  }
}

function makeMlpSgd() {
  const model = mlp();
  const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const x = torch.randn(64, 784), y = torch.randint(0, 10, [64]);
  return () => {
    opt.zeroGrad();
    const loss = F.crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
  };
}

function makeCnnAdam() {
  const model = cnn();
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = torch.randn(32, 3, 32, 32), y = torch.randint(0, 10, [32]);
  return () => {
    opt.zeroGrad();
    const loss = F.crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
  };
}

function makeLstmAdam() {
  const model = new LstmNet();
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = torch.randn(32, 10, 1), y = torch.randn(32, 1);
  return () => {
    opt.zeroGrad();
    const loss = F.mseLoss(model.forward(x), y);
    loss.backward();
    opt.step();
  };
}

function makeGan() {
  const G = new nn.Sequential(new nn.Linear(100, 256), new nn.LeakyReLU(0.2), new nn.Linear(256, 784), new nn.Tanh());
  const D = new nn.Sequential(new nn.Linear(784, 256), new nn.LeakyReLU(0.2), new nn.Linear(256, 1), new nn.Sigmoid());
  const optG = new optim.Adam(G.parameters(), { lr: 2e-4, betas: [0.5, 0.999] });
  const optD = new optim.Adam(D.parameters(), { lr: 2e-4, betas: [0.5, 0.999] });
  const bce = new nn.BCELoss();
  const images = torch.rand(64, 784).mul(2).sub(1);
  const real = torch.ones(64, 1), fake = torch.zeros(64, 1);
  return () => {
    const generated = G.forward(torch.randn(64, 100));
    optD.zeroGrad();
    const lossD = bce.forward(D.forward(images), real).add(bce.forward(D.forward(generated.detach()), fake));
    lossD.backward();
    optD.step();
    optG.zeroGrad();
    const lossG = bce.forward(D.forward(generated), real);
    lossG.backward();
    optG.step();
  };
}

function makeCnnInfer(batch) {
  const model = cnn();
  model.eval();
  const x = torch.randn(batch, 3, 32, 32);
  return () => torch.inferenceMode(() => { model.forward(x); });
}

let source = null;
function getSource() {
  if (source === null) {
    source = new Float32Array(TRANSFER_FLOATS);
    for (let i = 0; i < TRANSFER_FLOATS; i++) source[i] = (i % 1000) * 0.001;
  }
  return source;
}

let sink = 0;
// 100 MB tensors are disposed at once, as a careful user does (the GC is measured elsewhere).
function makeTransferCopy() {
  const src = getSource();
  return () => {
    const t = torch.tensor(src); // a copy into a tensor
    const out = t.toTypedArray(); // a copy back into a new Float32Array
    t.dispose();
    sink += out[out.length - 1];
  };
}

function makeTransferZeroCopy() {
  const src = getSource();
  return () => {
    const t = torch.fromArray(src); // shares the array's memory
    const view = t.typedArrayView(); // shares the tensor's memory
    sink += view[view.length - 1];
    t.dispose();
  };
}

const tidied = (make) => () => { const step = make(); return () => torch.tidy(step); };

const FACTORIES = {
  'transfer-copy': makeTransferCopy,
  'transfer-zerocopy': makeTransferZeroCopy,
  'mlp-sgd': makeMlpSgd,
  'cnn-adam': makeCnnAdam,
  'lstm-adam': makeLstmAdam,
  gan: makeGan,
  'infer-cnn-b1': () => makeCnnInfer(1),
  'infer-cnn-b256': () => makeCnnInfer(256),
  'mlp-sgd-tidy': tidied(makeMlpSgd),
  'cnn-adam-tidy': tidied(makeCnnAdam),
  'lstm-adam-tidy': tidied(makeLstmAdam),
  'gan-tidy': tidied(makeGan),
  'infer-cnn-b1-tidy': tidied(() => makeCnnInfer(1)),
};

const defaultThreads = torch.getNumThreads();
torch.manualSeed(0);
const steps = new Map();
const reply = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');

for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  const [name, threadsArg, itersArg] = line.trim().split(/\s+/);
  if (!name) continue;
  if (name === 'quit') break;
  if (name === 'info') {
    reply({ impl: 'node', node: process.version, defaultThreads, gcExposed: typeof globalThis.gc === 'function' });
    continue;
  }
  const make = FACTORIES[name];
  if (!make) { reply({ error: `unknown workload ${name}` }); continue; }
  const threads = Number(threadsArg), iters = Math.max(Number(itersArg), 1);
  torch.setNumThreads(threads > 0 ? threads : defaultThreads);
  if (!steps.has(name)) steps.set(name, make());
  const step = steps.get(name);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iters; i++) step();
  const ns = Number(process.hrtime.bigint() - t0) / iters;
  const cpu = process.cpuUsage(cpu0);
  reply({ ns, cpu: ((cpu.user + cpu.system) * 1000) / iters, threads: torch.getNumThreads(), sink: sink > 0 ? 1 : 0 });
}
process.exit(0);
