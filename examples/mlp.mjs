// A two-layer network fitting y = sin(x) with plain tensors and autograd: the same program a
// PyTorch user writes before reaching for torch.nn. Run: npm run example
import * as torch from 'torch-node';

torch.manualSeed(0);
const x = torch.linspace(-Math.PI, Math.PI, 256).unsqueeze(1);
const y = x.sin();

const hidden = 32;
const w1 = torch.randn(1, hidden).mul_(0.5).requiresGrad_();
const b1 = torch.zeros(hidden, { requiresGrad: true });
const w2 = torch.randn(hidden, 1).mul_(0.5).requiresGrad_();
const b2 = torch.zeros(1, { requiresGrad: true });
const params = [w1, b1, w2, b2];
const lr = 0.05;

for (let step = 0; step <= 2000; step++) {
  const prediction = x.matmul(w1).add(b1).tanh().matmul(w2).add(b2);
  const loss = prediction.sub(y).pow(2).mean();
  loss.backward();
  torch.noGrad(() => {
    for (const p of params) {
      p.sub_(p.grad, { alpha: lr });
      p.grad.zero_();
    }
  });
  if (step % 400 === 0) console.log(`step ${String(step).padStart(4)}  loss ${loss.item().toFixed(6)}`);
}

const probe = torch.tensor([[-1.5], [0], [1.5]]);
const out = torch.noGrad(() => probe.matmul(w1).add(b1).tanh().matmul(w2).add(b2));
console.log('sin([-1.5, 0, 1.5]) ≈', out.flatten());
