// The MLP example (fitting y = sin(x)) trained data-parallel over several processes with
// torch.distributed (Gloo) and nn.parallel.DistributedDataParallel, as in PyTorch:
//
//   node scripts/launch.mjs --nproc 2 examples/ddp.mjs [--epochs 20] [--batch-size 64] [--out DIR]
//
// Every rank starts from its own random weights; DDP broadcasts rank 0's, each rank trains on
// its share of every global batch (DistributedSampler), and backward averages the gradients,
// so the replicas stay identical, and equal to one process training on the whole batches.
// --out DIR writes each rank's final weights to DIR/rank<N>.json.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as torch from 'torch-node';

const { nn, optim, distributed: dist } = torch;
const { DataLoader, DistributedSampler, Subset, TensorDataset } = torch.utils.data;
const { DistributedDataParallel } = nn.parallel;

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '20' },
    'batch-size': { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.01' },
    out: { type: 'string' },
  },
});
const epochs = Number(args.epochs);
const globalBatch = Number(args['batch-size']);

dist.initProcessGroup('gloo');  // env:// rendezvous: RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT
const rank = dist.getRank();
const worldSize = dist.getWorldSize();
if (globalBatch % worldSize !== 0) throw new Error(`--batch-size ${globalBatch} must be a multiple of the world size ${worldSize}`);

const x = torch.linspace(-Math.PI, Math.PI, 256).unsqueeze(1);
const dataset = new TensorDataset(x, x.sin());

torch.manualSeed(1 + rank);  // different on every rank: DDP's broadcast makes them rank 0's
const model = new DistributedDataParallel(new nn.Sequential(new nn.Linear(1, 32), new nn.Tanh(), new nn.Linear(32, 1)));
const lossFn = new nn.MSELoss();
const optimizer = new optim.Adam(model.parameters(), { lr: Number(args.lr) });
const sampler = new DistributedSampler(dataset, { seed: 0 });

for (let epoch = 0; epoch < epochs; epoch++) {
  sampler.setEpoch(epoch);
  const loader = new DataLoader(new Subset(dataset, [...sampler]), { batchSize: globalBatch / worldSize });
  const total = torch.zeros(2);  // [sum of losses, batches]
  for (const [xb, yb] of loader) {
    optimizer.zeroGrad();
    const loss = lossFn.forward(model.forward(xb), yb);
    loss.backward();  // gradients are averaged across the ranks here
    optimizer.step();
    total.add_(torch.tensor([loss.item(), 1]));
  }
  dist.allReduce(total);
  const [sum, batches] = total.tolist();
  if (rank === 0 && (epoch % 5 === 4 || epoch === epochs - 1)) {
    console.log(`epoch ${String(epoch + 1).padStart(3)}  loss ${(sum / batches).toFixed(6)}  (${worldSize} ranks)`);
  }
}

if (args.out) {
  const weights = Object.fromEntries(Object.entries(model.module.stateDict()).map(([k, v]) => [k, Array.from(v.toTypedArray())]));
  fs.mkdirSync(args.out, { recursive: true });
  fs.writeFileSync(path.join(args.out, `rank${rank}.json`), JSON.stringify(weights));
}
dist.destroyProcessGroup();
