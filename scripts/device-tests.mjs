// CUDA checks for the GPU machine, in plain Node over dist/ (no vitest there): each prints
// PASS/FAIL/SKIP, the last line counts them. Run by scripts/device-run.sh.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const torch = createRequire(import.meta.url)('../dist/cjs/index.js');
const results = { pass: 0, fail: 0, skip: 0 };
function check(name, fn) {
  if (!torch.cuda.isAvailable()) {
    results.skip++;
    return console.log(`SKIP ${name}: ${torch.cuda.unavailableReason()}`);
  }
  try {
    fn();
    results.pass++;
    console.log(`PASS ${name}`);
  } catch (e) {
    results.fail++;
    console.log(`FAIL ${name}: ${e.stack}`);
  }
}

check('device count and names', () => {
  assert.ok(torch.cuda.deviceCount() >= 1);
  assert.equal(String(torch.ones(1).cuda().device), 'cuda:0');
});
check('matmul on the GPU equals the CPU result', () => {
  const a = torch.randn(64, 32, { dtype: torch.float64 });
  const b = torch.randn(32, 16, { dtype: torch.float64 });
  assert.ok(torch.allclose(a.cuda().matmul(b.cuda()).cpu(), a.matmul(b), 1e-10, 1e-10));
});
check('autograd on the GPU', () => {
  const x = torch.ones(3, { device: 'cuda', requiresGrad: true });
  x.mul(x).sum().backward();
  assert.deepEqual(x.grad.cpu().tolist(), [2, 2, 2]);
});
check('an nn model trains on the GPU like on the CPU', () => {
  const run = (device) => {
    torch.manualSeed(0);
    const model = new torch.nn.Sequential(new torch.nn.Linear(8, 16), new torch.nn.ReLU(), new torch.nn.Linear(16, 1)).to(device);
    const opt = new torch.optim.Adam(model.parameters(), { lr: 0.01 });
    const x = torch.linspace(-1, 1, 64 * 8).reshape(64, 8).to(device);
    let loss;
    for (let i = 0; i < 50; i++) {
      opt.zeroGrad();
      loss = model.forward(x).pow(2).mean();
      loss.backward();
      opt.step();
    }
    return loss.item();
  };
  const gpu = run('cuda');
  const cpu = run('cpu');
  assert.ok(Math.abs(gpu - cpu) < 1e-4, `cuda ${gpu} vs cpu ${cpu}`);
});
check('a loop of GPU tensors without dispose settles', () => {
  const x = torch.ones(1024, 1024, { device: 'cuda' });
  for (let i = 0; i < 5000; i++) x.mul(2).sum().item();
  assert.ok(torch.liveTensors() < 2000, `live ${torch.liveTensors()}`);
});
console.log(`${results.pass} passed, ${results.fail} failed, ${results.skip} skipped`);
process.exitCode = results.fail ? 1 : 0;
