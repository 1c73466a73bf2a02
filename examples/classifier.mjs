// Feedforward classifiers, as the seed's programs write them:
//  1. scikit-learn's MLPClassifier(hidden_layer_sizes=(5, 2), activation='relu', max_iter=500)
//     on 100 random samples with 5 features;
//  2. a credit-scoring style model on generated borrowers with a known rule, with a
//     train/validation split, accuracy and a confusion matrix.
// Run: node examples/classifier.mjs [--quick] [--logdir runs]
import * as torch from 'torch-node';
import { summaryWriter } from './support/tensorboard.mjs';

const { nn, optim } = torch;
const { DataLoader, TensorDataset, randomSplit } = torch.utils.data;
const quick = process.argv.includes('--quick');
torch.manualSeed(0);
const writer = summaryWriter('classifier');

function accuracy(logits, labels) {
  return logits.argmax(1).eq(labels).float().mean().item();
}

// ---- 1. MLPClassifier(hidden_layer_sizes=(5, 2)) on random data ------------------------------
{
  const X = torch.rand(100, 5);
  const y = torch.randint(0, 2, [100]);
  const model = new nn.Sequential(new nn.Linear(5, 5), new nn.ReLU(), new nn.Linear(5, 2), new nn.ReLU(), new nn.Linear(2, 2));
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 }); // scikit-learn's defaults: adam, lr 1e-3
  for (let epoch = 0; epoch < (quick ? 50 : 500); epoch++) {
    opt.zeroGrad();
    const loss = nn.functional.crossEntropy(model.forward(X), y);
    loss.backward();
    if (epoch % 10 === 0) writer.addScalar('mlp-classifier/loss', loss.item(), epoch);
    opt.step();
  }
  console.log(`MLPClassifier (5, 2) on random labels: training accuracy ${(100 * accuracy(model.forward(X), y)).toFixed(1)}%`);
}

// ---- 2. Credit scoring with a known rule --------------------------------------------------
{
  const n = quick ? 2000 : 20000;
  // income (k$), debt ratio, years employed, late payments; default when the rule says so.
  const income = torch.rand(n).mul(150).add(10);
  const debt = torch.rand(n);
  const years = torch.rand(n).mul(30);
  const late = torch.randint(0, 6, [n]).float();
  const risk = debt.mul(3).add(late.mul(0.6)).sub(income.div(50)).sub(years.div(15));
  const label = risk.gt(0.5).long(); // 1 = default
  const features = torch.stack([income.div(150), debt, years.div(30), late.div(5)], 1);

  const [train, val] = randomSplit(new TensorDataset(features, label), [0.8, 0.2], { generator: new torch.Generator().manualSeed(1) });
  const loader = new DataLoader(train, { batchSize: 64, shuffle: true });
  const model = new nn.Sequential(new nn.Linear(4, 32), new nn.ReLU(), new nn.Linear(32, 16), new nn.ReLU(), new nn.Linear(16, 2));
  const opt = new optim.Adam(model.parameters(), { lr: 5e-3 });
  const epochs = quick ? 3 : 15;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    model.train();
    let total = 0;
    let batches = 0;
    for (const [x, y] of loader) {
      opt.zeroGrad();
      const loss = nn.functional.crossEntropy(model.forward(x), y);
      loss.backward();
      opt.step();
      total += loss.item();
      batches++;
    }
    writer.addScalar('credit/loss/train', total / batches, epoch);
    if (epoch % 5 === 0 || epoch === epochs) console.log(`epoch ${epoch}: training loss ${(total / batches).toFixed(4)}`);
  }

  model.eval();
  const vx = torch.stack(val.indices.map((i) => features.get(i)));
  const vy = torch.stack(val.indices.map((i) => label.get(i)));
  const predicted = torch.noGrad(() => model.forward(vx).argmax(1));
  const cm = [[0, 0], [0, 0]];
  const truth = vy.tolist();
  predicted.tolist().forEach((p, i) => cm[truth[i]][p]++);
  console.log(`credit model: validation accuracy ${(100 * predicted.eq(vy).float().mean().item()).toFixed(1)}% on ${truth.length} borrowers`);
  console.log('confusion matrix (rows: true, columns: predicted)');
  console.log('              repaid  default');
  console.log(`  repaid   ${String(cm[0][0]).padStart(8)} ${String(cm[0][1]).padStart(8)}`);
  console.log(`  default  ${String(cm[1][0]).padStart(8)} ${String(cm[1][1]).padStart(8)}`);
}
writer.close();
