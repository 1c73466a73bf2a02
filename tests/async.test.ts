import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';
import { itemAsync, toTypedArrayAsync, tolistAsync } from '../lib/async';

const fixture = (name: string) => path.join(__dirname, 'fixtures', name);

describe('non-blocking TorchScript forward', () => {
  it('gives the same result as the blocking call, and inputs may be disposed meanwhile', async () => {
    const m = torch.jit.load(fixture('scripted.pt')).eval();
    const x = torch.randn(4, 3);
    const expected = (m.forward(x, 2.0) as torch.Tensor[])[0].tolist();
    const pending = m.forwardAsync(x, 2.0);
    x.dispose(); // the job holds its own reference
    const [y] = (await pending) as torch.Tensor[];
    expect(y.tolist()).toEqual(expected);
  });

  it('100 concurrent requests all complete correctly', async () => {
    const m = torch.jit.load(fixture('scripted.pt')).eval();
    const inputs = Array.from({ length: 100 }, (_, i) => torch.full([2, 3], i / 10, { dtype: torch.float32 }));
    const expected = inputs.map((x) => (m.forward(x) as torch.Tensor[])[0].tolist());
    const results = await Promise.all(inputs.map((x) => m.forwardAsync(x)));
    results.forEach((r, i) => expect((r as torch.Tensor[])[0].tolist()).toEqual(expected[i]));
  });

  it('errors reject with libtorch\'s message and the caller\'s stack', async () => {
    const m = torch.jit.load(fixture('scripted.pt'));
    const err = await m.forwardAsync(torch.ones(2, 5)).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/mat1 and mat2 shapes cannot be multiplied \(2x5 and 3x4\)/);
    expect((err as Error).stack).toContain('async.test.ts');
  });

  it('keeps the event loop responsive while heavy forwards run (figures printed)', async () => {
    const m = torch.jit.load(fixture('heavy.pt'));
    const x = torch.rand(256, 256);
    // The loop's delay over a window of back-to-back calls: a blocking call stalls every timer
    // due meanwhile, so its delays are the calls' durations; an async call's are not.
    const measure = async (call: () => Promise<unknown>) => {
      const h = monitorEventLoopDelay({ resolution: 1 });
      h.enable();
      const t0 = performance.now();
      for (let i = 0; i < 4; i++) {
        await call();
        await new Promise((resolve) => setTimeout(resolve, 5)); // lets the monitor's timer fire
      }
      const ms = (performance.now() - t0) / 4;
      h.disable();
      return { ms, p99: h.percentile(99) / 1e6 };
    };
    const blocking = await measure(async () => m.forward(x, 200));
    const async = await measure(() => m.forwardAsync(x, 200));
    console.log(`heavy forward: blocking ${blocking.ms.toFixed(0)} ms per call, loop delay p99 ${blocking.p99.toFixed(1)} ms; ` +
      `async ${async.ms.toFixed(0)} ms per call, loop delay p99 ${async.p99.toFixed(1)} ms`);
    // A factor of 2 holds on a loaded machine: the blocking p99 is a whole forward (100+ ms).
    expect(async.p99).toBeLessThan(blocking.p99 / 2);
  });
});

// A JS module traced with torch.jit.trace: its forward runs without JS, so on libuv's threads.
class Net extends torch.nn.Module {
  conv = new torch.nn.Conv2d(1, 32, 3);
  pool = new torch.nn.MaxPool2d(2);
  flatten = new torch.nn.Flatten();
  fc1 = new torch.nn.Linear(32 * 13 * 13, 64);
  fc2 = new torch.nn.Linear(64, 10);

  override forward(x: torch.Tensor): torch.Tensor {
    const relu = torch.nn.functional.relu;
    x = this.pool.forward(relu(this.conv.forward(x))) as torch.Tensor;
    return this.fc2.forward(relu(this.fc1.forward(this.flatten.forward(x))));
  }
}

// A full collection, without --expose-gc on the command line.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('forwardAsync of a traced JS module', () => {
  it('100 concurrent requests each give the blocking call\'s result', async () => {
    torch.manualSeed(0);
    const traced = torch.jit.trace(new Net().eval(), torch.randn(1, 1, 28, 28));
    const inputs = Array.from({ length: 100 }, (_, i) => torch.randn(1 + (i % 3), 1, 28, 28));
    const expected = torch.noGrad(() => inputs.map((x) => traced.forward(x) as torch.Tensor));
    const results = await torch.noGrad(() => Promise.all(inputs.map((x) => traced.forwardAsync(x))));
    results.forEach((r, i) => {
      expect((r as torch.Tensor).shape).toEqual([1 + (i % 3), 10]);
      expect(torch.allclose(r as torch.Tensor, expected[i], { rtol: 1e-5, atol: 1e-6 })).toBe(true); // thread splits may reorder sums
    });
  });

  it('inputs disposed and the module collected while jobs run: the jobs hold what they read', async () => {
    torch.manualSeed(1);
    const model = new Net().eval();
    const x = torch.randn(8, 1, 28, 28);
    const expected = model.forward(x);
    let traced: ReturnType<typeof torch.jit.trace> | null = torch.jit.trace(model, x);
    const pending = Array.from({ length: 10 }, () => traced!.forwardAsync(x));
    traced = null;
    x.dispose();
    gc();
    for (const r of await Promise.all(pending)) {
      expect(torch.allclose(r as torch.Tensor, expected, { rtol: 1e-5, atol: 1e-6 })).toBe(true);
    }
  });

  it('a job\'s error rejects with libtorch\'s message and the caller\'s stack', async () => {
    const traced = torch.jit.trace(new Net().eval(), torch.randn(1, 1, 28, 28));
    const err = await traced.forwardAsync(torch.randn(1, 3, 28, 28)).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/expected input\[1, 3, 28, 28\] to have 1 channels, but got 3 channels instead/);
    expect((err as Error).stack).toContain('async.test.ts');
  });
});

describe('copies to JS off the JS thread', () => {
  it('toTypedArrayAsync gives toTypedArray\'s values and array type, for each dtype and for views', async () => {
    const cases = [
      torch.randn(3, 4),
      torch.randn(3, 4).t(), // not contiguous
      torch.arange(6, { dtype: torch.int64 }),
      torch.tensor([true, false, true]),
      torch.randn(5).to(torch.float16),
      torch.arange(4, { dtype: torch.uint8 }),
      torch.zeros(0),
    ];
    for (const t of cases) {
      const got = await toTypedArrayAsync(t);
      const want = t.toTypedArray();
      expect(got.constructor).toBe(want.constructor);
      expect(Array.from(got as unknown as ArrayLike<unknown>)).toEqual(Array.from(want as unknown as ArrayLike<unknown>));
    }
  });

  it('itemAsync and tolistAsync give item() and tolist()', async () => {
    expect(await itemAsync(torch.tensor(2.5))).toBe(2.5);
    expect(await itemAsync(torch.tensor([7], { dtype: torch.int64 }))).toBe(7);
    expect(await itemAsync(torch.tensor(true))).toBe(true);
    const x = torch.randn(2, 3, 2);
    expect(await tolistAsync(x)).toEqual(x.tolist());
    const b = torch.tensor([[true, false]]);
    expect(await tolistAsync(b)).toEqual(b.tolist());
    expect(await tolistAsync(torch.tensor(3))).toBe(3);
  });

  it('a tensor disposed while its copy runs stays alive for the job', async () => {
    const x = torch.rand(1000, 1000);
    const want = x.sum().item();
    const pending = toTypedArrayAsync(x);
    x.dispose();
    gc();
    const got = (await pending) as Float32Array;
    expect(got.length).toBe(1e6);
    expect(got.reduce((a, v) => a + v, 0)).toBeCloseTo(want, -1);
  });

  it('errors: libtorch\'s message with the caller\'s stack; dtypes no TypedArray holds are refused at once', async () => {
    const err = await itemAsync(torch.ones(2)).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/a Tensor with 2 elements cannot be converted to Scalar/);
    expect((err as Error).stack).toContain('async.test.ts');
    expect(() => toTypedArrayAsync(torch.zeros(2, { dtype: torch.complex64 }))).toThrow('no TypedArray holds dtype torch.complex64');
  });
});
