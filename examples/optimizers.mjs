// Comparing optimizers on one small model, as a PyTorch user writes it: an MLP (nn.Module with
// nn.Sequential) trained with SGD, SGD with momentum, Adam(lr=0.001) and AdamW with weight decay,
// each with and without Dropout, on a generated classification task (10 features, a nonlinear
// rule over 5 of them, 10% flipped labels, a small training set so that models can overfit).
// Every run starts from the same weights and sees the same batches. Prints a table (final
// training loss, validation loss and accuracy, time) and draws the loss curves as PNGs.
// Run: node examples/optimizers.mjs [--quick] [--out examples/output] [--logdir runs]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from 'torch-node';
import { lineChart } from './support/charts.mjs';
import { progress } from './support/progress.mjs';
import { summaryWriter } from './support/tensorboard.mjs';

const { nn, optim } = torch;
const { DataLoader, TensorDataset } = torch.utils.data;
const F = nn.functional;
const quick = process.argv.includes('--quick');
const outIndex = process.argv.indexOf('--out');
const outDir = outIndex > 0 ? process.argv[outIndex + 1] : fileURLToPath(new URL('output/', import.meta.url));
const device = torch.cuda.isAvailable() ? 'cuda' : 'cpu';
const epochs = quick ? 8 : 40;
torch.manualSeed(0);
// A model this small gains nothing from intra-op threads, and on a busy machine they only contend.
torch.setNumThreads(1);
const writer = summaryWriter('optimizers'); // one chart per loss, a curve per run

// ---- data: label = [x0*x1 + sin(2*x2) + x3^2 + 0.5*x4 > 1], 10% of labels flipped ------------
function makeData(n) {
  const x = torch.randn(n, 10);
  const col = (i) => x.get(`:, ${i}`);
  const score = col(0).mul(col(1)).add(col(2).mul(2).sin()).add(col(3).square()).add(col(4).mul(0.5));
  const flip = torch.rand(n).lt(0.1);
  return [x, score.gt(1).logicalXor(flip).long()];
}
const [trainX, trainY] = makeData(quick ? 400 : 1000);
const [valX, valY] = makeData(quick ? 1000 : 4000).map((t) => t.to(device));

class MLP extends nn.Module {
  constructor(dropout) {
    super();
    const maybeDropout = () => (dropout > 0 ? [new nn.Dropout(dropout)] : []);
    this.layers = new nn.Sequential(
      new nn.Linear(10, 128), new nn.ReLU(), ...maybeDropout(),
      new nn.Linear(128, 128), new nn.ReLU(), ...maybeDropout(),
      new nn.Linear(128, 2),
    );
  }

  forward(x) {
    return this.layers.forward(x);
  }
}

const optimizers = {
  'SGD': (params) => new optim.SGD(params, { lr: 0.05 }),
  'SGD+momentum': (params) => new optim.SGD(params, { lr: 0.05, momentum: 0.9 }),
  'Adam': (params) => new optim.Adam(params, { lr: 0.001 }),
  'AdamW': (params) => new optim.AdamW(params, { lr: 0.001, weightDecay: 0.1 }),
};

function evaluate(model) {
  model.eval();
  return torch.noGrad(() => {
    const logits = model.forward(valX);
    return { valLoss: F.crossEntropy(logits, valY).item(), valAccuracy: logits.argmax(1).eq(valY).float().mean().item() };
  });
}

function run(name, makeOptimizer, dropout) {
  torch.manualSeed(1); // the same initial weights for every run
  const model = new MLP(dropout).to(device);
  const optimizer = makeOptimizer(model.parameters());
  const loader = new DataLoader(new TensorDataset(trainX, trainY), { batchSize: 32, shuffle: true, generator: new torch.Generator().manualSeed(2) });
  const trainLosses = [];
  const valLosses = [];
  const bar = progress(epochs, name);
  const start = performance.now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    model.train();
    let total = 0;
    for (const [x, y] of loader) {
      optimizer.zeroGrad();
      const loss = F.crossEntropy(model.forward(x.to(device)), y.to(device));
      loss.backward();
      optimizer.step();
      total += loss.item() * x.size(0);
    }
    trainLosses.push(total / trainX.size(0));
    valLosses.push(evaluate(model).valLoss);
    bar.tick({ loss: trainLosses.at(-1), val: valLosses.at(-1) });
    writer.addScalars('loss/train', { [name]: trainLosses.at(-1) }, epoch);
    writer.addScalars('loss/validation', { [name]: valLosses.at(-1) }, epoch);
  }
  bar.stop();
  const seconds = (performance.now() - start) / 1000;
  return { name, trainLosses, valLosses, seconds, ...evaluate(model) };
}

const results = [];
for (const [name, makeOptimizer] of Object.entries(optimizers)) {
  for (const dropout of [0, 0.3]) results.push(run(dropout ? `${name} + dropout` : name, makeOptimizer, dropout));
}

console.log(`\n${'optimizer'.padEnd(22)}${'train loss'.padStart(11)}${'val loss'.padStart(10)}${'val acc'.padStart(9)}${'time'.padStart(8)}`);
for (const r of results) {
  console.log(`${r.name.padEnd(22)}${r.trainLosses.at(-1).toFixed(4).padStart(11)}${r.valLoss.toFixed(4).padStart(10)}` +
    `${(100 * r.valAccuracy).toFixed(1).padStart(8)}%${r.seconds.toFixed(1).padStart(7)}s`);
}
const best = results.reduce((a, b) => (b.valAccuracy > a.valAccuracy ? b : a));
const positives = valY.float().mean().item();
console.log(`majority class: ${(100 * Math.max(positives, 1 - positives)).toFixed(1)}% of the validation set (the flipped labels cap accuracy near 90%)`);
console.log(`best validation accuracy: ${best.name} (${(100 * best.valAccuracy).toFixed(1)}%)`);

for (const [key, title] of [['trainLosses', 'Training loss'], ['valLosses', 'Validation loss']]) {
  const file = await lineChart(path.join(outDir, `optimizers-${key === 'trainLosses' ? 'train' : 'val'}-loss.png`), {
    title: `${title} per epoch (MLP 10-128-128-2, cross-entropy)`,
    xLabel: 'epoch',
    yLabel: 'loss',
    yScale: 'log',
    series: results.map((r) => ({ name: r.name, dashed: r.name.endsWith('dropout'), values: r[key].map((y, i) => ({ x: i + 1, y })) })),
  });
  console.log(`chart ${file}`);
}
writer.close();
