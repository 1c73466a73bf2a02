// CUDA checks in plain Node over the compiled dist/cjs (no vitest, no TypeScript needed), for
// the lent GPU machine: run by scripts/device-run.sh, or by hand after a build:
//   node --expose-gc scripts/device-tests.mjs
// Each check prints PASS, FAIL or SKIP (SKIP, with torch.cuda.unavailableReason(), where CUDA
// is unavailable); the last line counts them. Exit status 1 when any check failed.
// DEVICE_TESTS_ON=cpu runs the same checks with 'cpu' in place of 'cuda': a self-test of this
// script on a machine without a GPU (the GPU-to-CPU comparisons then compare the CPU with itself).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = { pass: 0, fail: 0, skip: 0 };
const say = (line) => console.log(line);

let torch;
try {
  torch = createRequire(import.meta.url)(path.join(root, 'dist', 'cjs', 'index.js'));
} catch (e) {
  say(`FAIL load torch-node (dist/cjs + build/Release/torch_node.node): ${e.stack ?? e}`);
  say('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}

const DEV = process.env.DEVICE_TESTS_ON || 'cuda';
const cudaAvailable = torch.cuda.isAvailable();
const available = DEV === 'cuda' ? cudaAvailable : true;
const reason = cudaAvailable ? '' : torch.cuda.unavailableReason();
const sync = () => { if (DEV === 'cuda') torch.cuda.synchronize(); };
const toDev = (t) => (DEV === 'cuda' ? t.cuda() : t.to(DEV));
let built = '?';
try { built = JSON.parse(fs.readFileSync(path.join(root, 'build', 'libtorch.json'), 'utf8')).root; } catch { /* not recorded */ }
say(`INFO addon built against libtorch ${built}`);
say(`INFO cuda.isAvailable() = ${cudaAvailable}, deviceCount() = ${torch.cuda.deviceCount()}${cudaAvailable ? '' : `, unavailableReason() = ${JSON.stringify(reason)}`}`);
if (DEV !== 'cuda') say(`INFO DEVICE_TESTS_ON=${DEV}: the GPU checks run on '${DEV}' (a self-test of this script)`);

/** Runs fn (sync or async); gpu checks are skipped, with the reason, where CUDA is unavailable. */
async function check(name, fn, { gpu = true } = {}) {
  if (gpu && !available) {
    results.skip++;
    return say(`SKIP ${name}: ${reason}`);
  }
  const t0 = performance.now();
  try {
    await fn();
    results.pass++;
    say(`PASS ${name} (${(performance.now() - t0).toFixed(0)} ms)`);
  } catch (e) {
    results.fail++;
    say(`FAIL ${name}: ${e?.stack ?? e}`);
  }
}

/** ||a - b|| / ||b||, both compared in float64 on the CPU. */
function relErr(a, b) {
  const x = a.cpu().double(), y = b.cpu().double();
  return x.sub(y).norm().item() / y.norm().item();
}
const tick = () => new Promise((resolve) => setImmediate(resolve));
async function collect() { // let the GC free unreachable tensors, as often as it takes to settle
  for (let i = 0; i < 4; i++) { globalThis.gc?.(); await tick(); }
}

await check('torch.cuda answers consistently', () => {
  assert.equal(typeof cudaAvailable, 'boolean');
  assert.equal(torch.cuda.deviceCount() > 0, cudaAvailable);
  if (!cudaAvailable) assert.ok(reason.length > 0, 'unavailableReason() is empty while CUDA is unavailable');
  else assert.equal(torch.cuda.unavailableReason(), '');
}, { gpu: false });

await check('device count, names and torch.cuda.synchronize', () => {
  if (DEV !== 'cuda') return;
  assert.ok(torch.cuda.deviceCount() >= 1);
  const x = torch.ones(2).cuda();
  assert.equal(String(x.device), 'cuda:0');
  assert.equal(x.device.type, 'cuda');
  assert.equal(x.isCuda, true);
  assert.equal(x.getDevice(), 0);
  torch.cuda.synchronize();
  say(`INFO ${torch.cuda.deviceCount()} device(s)`);
});

await check('tensors move to the GPU and back with their values', () => {
  const data = [[1.5, -2, 3], [4, 5.25, -6]];
  const cpu = torch.tensor(data);
  for (const [how, g] of [
    ['.cuda()', toDev(cpu)],
    [`.to('${DEV}')`, cpu.to(DEV)],
    [`.to(device('${DEV}:0'))`, cpu.to(torch.device(DEV === 'cpu' ? 'cpu' : `${DEV}:0`))],
    [`tensor(data, {device: '${DEV}'})`, torch.tensor(data, { device: DEV })],
  ]) {
    assert.equal(g.device.type, DEV, how);
    assert.deepEqual(g.shape, [2, 3], how);
    assert.deepEqual(g.cpu().tolist(), data, how);
    assert.equal(g.cpu().device.type, 'cpu', how);
  }
  for (const dtype of [torch.float64, torch.float16, torch.bfloat16, torch.int64, torch.int32, torch.uint8, torch.bool]) {
    const c = torch.tensor([[1, 0, 3], [4, 5, 0]]).to(dtype);
    const g = toDev(c);
    assert.equal(g.dtype, dtype, dtype.name);
    assert.deepEqual(g.cpu().tolist(), c.tolist(), dtype.name);
  }
  const z = torch.zeros([3, 4], { device: DEV });
  assert.equal(z.device.type, DEV);
  assert.equal(z.sum().item(), 0);
  assert.equal(torch.ones(5, { device: DEV }).sum().item(), 5); // .item() reads through a copy
});

await check('matmul on the GPU equals the CPU result (float64, float32, float16, bfloat16)', () => {
  const a = torch.randn([256, 128], { dtype: torch.float64 });
  const b = torch.randn([128, 64], { dtype: torch.float64 });
  const ref = a.matmul(b);
  const gpu = toDev(a).matmul(toDev(b));
  assert.equal(gpu.device.type, DEV);
  assert.ok(torch.allclose(gpu.cpu(), ref, 1e-10, 1e-10), `float64 rel err ${relErr(gpu, ref)}`);
  // float32 may run on TF32 units (about 3e-4); half precisions near 1e-3..1e-2
  for (const [dtype, tol] of [[torch.float32, 1e-3], [torch.float16, 1e-2], [torch.bfloat16, 3e-2]]) {
    const e = relErr(toDev(a.to(dtype)).matmul(toDev(b.to(dtype))), ref);
    assert.ok(e < tol && !Number.isNaN(e), `${dtype.name}: rel err ${e} (tolerance ${tol})`);
  }
  // a batched product too
  const x = torch.randn([8, 32, 16], { dtype: torch.float64 }), y = torch.randn([8, 16, 24], { dtype: torch.float64 });
  assert.ok(relErr(toDev(x).matmul(toDev(y)), x.matmul(y)) < 1e-12);
});

await check('elementwise ops and reductions agree with the CPU', () => {
  const x = torch.randn([1000, 37], { dtype: torch.float64 });
  const g = toDev(x);
  const pairs = [
    ['exp', (t) => t.exp()], ['sin', (t) => t.sin()], ['tanh', (t) => t.tanh()],
    ['relu', (t) => t.relu()], ['softmax', (t) => t.softmax(1)], ['sum(0)', (t) => t.sum(0)],
    ['mean', (t) => t.mean()], ['max(1)', (t) => t.amax(1)], ['cumsum', (t) => t.cumsum(1)],
    ['add/mul', (t) => t.add(t.mul(2)).sub(1)], ['t().contiguous()', (t) => t.t().contiguous()],
  ];
  for (const [name, f] of pairs) {
    const e = relErr(f(g), f(x));
    assert.ok(e < 1e-12, `${name}: rel err ${e}`);
  }
  assert.deepEqual(g.argmax(1).cpu().tolist(), x.argmax(1).tolist());
});

await check('autograd on the GPU', () => {
  const x = torch.ones(3, { device: DEV, requiresGrad: true });
  x.mul(x).sum().backward();
  assert.equal(x.grad.device.type, DEV);
  assert.deepEqual(x.grad.cpu().tolist(), [2, 2, 2]);
  // the same gradients as on the CPU through a matmul
  const a0 = torch.randn([16, 8], { dtype: torch.float64 }), b0 = torch.randn([8, 4], { dtype: torch.float64 });
  const grads = (device) => {
    const a = a0.to(device).detach().requiresGrad_(true), b = b0.to(device).detach().requiresGrad_(true);
    a.matmul(b).tanh().pow(2).sum().backward();
    return [a.grad, b.grad];
  };
  const [ga, gb] = grads(DEV);
  const [ca, cb] = grads('cpu');
  assert.equal(ga.device.type, DEV);
  assert.ok(relErr(ga, ca) < 1e-12 && relErr(gb, cb) < 1e-12, `grad rel err ${relErr(ga, ca)}, ${relErr(gb, cb)}`);
});

await check('an nn model trains on the GPU like on the CPU', () => {
  const train = (device) => {
    torch.manualSeed(0);
    const model = new torch.nn.Sequential(new torch.nn.Linear(8, 16), new torch.nn.ReLU(), new torch.nn.Linear(16, 1)).to(device);
    const opt = new torch.optim.Adam(model.parameters(), { lr: 0.01 });
    const x = torch.linspace(-1, 1, 64 * 8).reshape(64, 8).to(device);
    const y = x.sum(1, true).sin();
    let loss;
    for (let i = 0; i < 50; i++) {
      opt.zeroGrad();
      loss = model.forward(x).sub(y).pow(2).mean();
      loss.backward();
      opt.step();
    }
    assert.equal(model.parameters()[0].device.type, device);
    return loss.item();
  };
  const gpu = train(DEV);
  const cpu = train('cpu');
  assert.ok(Math.abs(gpu - cpu) <= 1e-3 * Math.abs(cpu) + 1e-5, `final loss cuda ${gpu} vs cpu ${cpu}`);
});

await check('manualSeed seeds the GPU generator', () => {
  torch.manualSeed(1234);
  const a = torch.randn(100, { device: DEV }).cpu().tolist();
  torch.manualSeed(1234);
  const b = torch.randn(100, { device: DEV }).cpu().tolist();
  assert.deepEqual(a, b);
});

await check('mixing devices is a JavaScript error, not a crash', () => {
  if (DEV !== 'cuda') return;
  assert.throws(() => torch.ones([3, 3], { device: 'cuda' }).add(torch.ones([3, 3])), /device/i);
});

await check('a loop of GPU tensors without dispose settles', async () => {
  await collect();
  const base = torch.liveTensors();
  const x = torch.ones([1024, 1024], { device: DEV }); // 4 MiB; each product below is another
  let peak = 0;
  for (let i = 0; i < 5000; i++) {
    x.mul(2).sum().item();
    if (i % 100 === 0) { peak = Math.max(peak, torch.liveTensors() - base); await tick(); }
  }
  sync();
  await collect();
  const after = torch.liveTensors() - base;
  say(`INFO live tensors over the baseline: peak ${peak} during 5000 iterations, ${after} after GC`);
  assert.ok(peak < 2000, `live tensors peaked at ${peak} over the baseline`);
  assert.ok(after <= 10, `${after} tensors still alive after the loop (baseline ${base})`);
});

await check('tidy frees GPU temporaries at once', () => {
  const base = torch.liveTensors();
  const kept = torch.tidy(() => {
    const a = torch.randn([256, 256], { device: DEV });
    return a.matmul(a).relu().sum();
  });
  assert.equal(torch.liveTensors() - base, 1);
  assert.equal(kept.device.type, DEV);
  kept.dispose();
  assert.equal(torch.liveTensors(), base);
});

await check('out of GPU memory: a full GC frees unreachable tensors and the op runs again', () => {
  if (DEV !== 'cuda') return; // CPU allocation failures are plain errors, not OutOfMemoryError
  const { native } = createRequire(import.meta.url)(path.join(root, 'dist', 'cjs', 'native.js'));
  const MiB = 2 ** 20;
  const fill = (bytes, into) => {
    try { for (;;) into.push(torch.empty([bytes], { dtype: torch.uint8, device: 'cuda' })); } catch (e) {
      assert.match(String(e), /out of memory/i);
    }
  };
  // Fill the GPU with reachable tensors, then free 256 MiB of them: room for two 96 MiB results.
  const ballast = [];
  fill(1024 * MiB, ballast);
  const small = [];
  fill(64 * MiB, small);
  for (const t of small.splice(0, 4)) t.dispose();
  const retries = native.outOfMemoryRetries();
  // Results dropped without dispose: without the GC-and-retry, the third allocation fails.
  for (let i = 0; i < 40; i++) torch.empty([96 * MiB], { dtype: torch.uint8, device: 'cuda' }).fill_(1);
  torch.cuda.synchronize();
  const used = native.outOfMemoryRetries() - retries;
  say(`INFO GPU filled with ${ballast.length} GiB + ${small.length * 64} MiB held; 40 dropped 96 MiB results ran with ${used} out-of-memory retries`);
  // A request no GPU can meet still fails, with CUDA's message, after its one retry.
  assert.throws(() => torch.empty([2 ** 40], { dtype: torch.uint8, device: 'cuda' }), /CUDA out of memory/);
  for (const t of [...ballast, ...small]) t.dispose();
});

await check('a 4096x4096 float32 matmul runs (timing, INFO)', () => {
  if (DEV !== 'cuda') return;
  const a = torch.randn([4096, 4096], { device: 'cuda' }), b = torch.randn([4096, 4096], { device: 'cuda' });
  for (let i = 0; i < 3; i++) a.matmul(b).dispose();
  torch.cuda.synchronize();
  const n = 20, t0 = performance.now();
  for (let i = 0; i < n; i++) a.matmul(b).dispose();
  torch.cuda.synchronize();
  const s = (performance.now() - t0) / 1000 / n;
  say(`INFO float32 4096^3 matmul: ${(s * 1e3).toFixed(2)} ms, ${(2 * 4096 ** 3 / s / 1e12).toFixed(1)} TFLOP/s (mean of ${n})`);
  a.dispose(); b.dispose();
});

say(`${results.pass} passed, ${results.fail} failed, ${results.skip} skipped${cudaAvailable ? '' : ` (CUDA unavailable: ${reason})`}${DEV === 'cuda' ? '' : ` (checks run on '${DEV}')`}`);
process.exitCode = results.fail ? 1 : 0;
