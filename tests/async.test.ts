import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

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

  it('keeps the event loop responsive while a heavy forward runs (figures printed)', async () => {
    const m = torch.jit.load(fixture('heavy.pt'));
    const x = torch.rand(256, 256);
    const measure = async (run: () => Promise<unknown>) => {
      const h = monitorEventLoopDelay({ resolution: 1 });
      h.enable();
      const t0 = performance.now();
      await run();
      const ms = performance.now() - t0;
      h.disable();
      return { ms, p99: h.percentile(99) / 1e6, max: h.max / 1e6 };
    };
    const blocking = await measure(async () => m.forward(x, 200));
    const async = await measure(() => m.forwardAsync(x, 200));
    console.log(`heavy forward: blocking ${blocking.ms.toFixed(0)} ms (loop delay max ${blocking.max.toFixed(1)} ms), ` +
      `async ${async.ms.toFixed(0)} ms (loop delay p99 ${async.p99.toFixed(1)} ms)`);
    // The blocking call stalls the loop for its whole duration; the async one must not.
    expect(async.max).toBeLessThan(blocking.ms);
  });
});
