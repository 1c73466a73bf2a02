// A small network fitting y = sin(x), written as a PyTorch user writes it: nn.Sequential,
// MSELoss, Adam, zeroGrad / backward / step, then a checkpoint.
// Run: node examples/mlp.mjs [--logdir runs]
import * as torch from 'torch-node';
import { summaryWriter } from './support/tensorboard.mjs';

const { nn, optim } = torch;
torch.manualSeed(0);
const writer = summaryWriter('mlp');

const x = torch.linspace(-Math.PI, Math.PI, 256).unsqueeze(1);
const y = x.sin();

const model = new nn.Sequential(new nn.Linear(1, 32), new nn.Tanh(), new nn.Linear(32, 1));
const lossFn = new nn.MSELoss();
const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
const scheduler = new optim.lrScheduler.StepLR(optimizer, 500, { gamma: 0.5 });

console.log(String(model));
for (let step = 0; step <= 1500; step++) {
  optimizer.zeroGrad();
  const loss = lossFn.forward(model.forward(x), y);
  loss.backward();
  optimizer.step();
  scheduler.step();
  if (step % 10 === 0) writer.addScalar('loss', loss.item(), step);
  if (step % 300 === 0) console.log(`step ${String(step).padStart(4)}  loss ${loss.item().toFixed(6)}  lr ${scheduler.getLastLr()[0]}`);
}

const probe = torch.tensor([[-1.5], [0], [1.5]]);
console.log('sin([-1.5, 0, 1.5]) ≈', torch.noGrad(() => model.forward(probe)).flatten());
torch.save(model.stateDict(), 'mlp.pt');
console.log('saved mlp.pt (loadable with torch.load in Python)');
writer.close();
