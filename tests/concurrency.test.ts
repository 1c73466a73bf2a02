// Async jobs (TorchScript forwardAsync on libuv worker threads) racing with the JS thread:
// inputs disposed or dropped while jobs run, garbage collection during jobs, many jobs at once,
// inputs carrying a JS autograd node (freed on the worker thread), and process exit with
// jobs still pending. Every job must complete with the right numbers or reject with a clear
// Error; nothing may crash.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

const fixture = path.join(__dirname, 'fixtures', 'scripted.pt');
const dist = path.resolve(__dirname, '..', 'dist', 'cjs', 'index.js');
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const model = () => torch.jit.load(fixture).eval();
const first = (r: unknown) => (r as torch.Tensor[])[0].tolist();

class Double extends torch.autograd.Function {
  static override forward(_ctx: unknown, x: torch.Tensor) { return x.mul(2); }
  static override backward(_ctx: unknown, g: torch.Tensor) { return g.mul(2); }
}

describe('TorchScript jobs racing with the JS thread', () => {
  it('inputs disposed right after queuing: every job still gives the synchronous numbers', async () => {
    const m = model();
    const inputs = Array.from({ length: 50 }, (_, i) => torch.full([3, 3], i / 7, { dtype: torch.float32 }));
    const expected = inputs.map((x) => first(m.forward(x, 2)));
    const jobs = inputs.map((x) => m.forwardAsync(x, 2));
    inputs.forEach((x) => x.dispose());
    const results = await Promise.all(jobs);
    results.forEach((r, i) => expect(first(r)).toEqual(expected[i]));
  });

  it('inputs and the module dropped and collected while jobs run', async () => {
    const expected: unknown[] = [];
    const jobs: Promise<unknown>[] = [];
    (() => {
      const m = model();
      for (let i = 0; i < 40; i++) {
        const x = torch.full([64, 3], i, { dtype: torch.float32 });
        expected.push(first(m.forward(x)));
        jobs.push(m.forwardAsync(x));
      }
    })();
    for (let i = 0; i < 5; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const results = await Promise.all(jobs);
    results.forEach((r, i) => expect(first(r)).toEqual(expected[i]));
  });

  it('gc() between and during 200 concurrent jobs, results all correct', async () => {
    const m = model();
    const inputs = Array.from({ length: 200 }, (_, i) => torch.randn(8, 3).mul(i));
    const expected = inputs.map((x) => first(m.forward(x)));
    const jobs = inputs.map((x, i) => {
      if (i % 25 === 0) gc();
      return m.forwardAsync(x);
    });
    gc();
    const results = await Promise.all(jobs);
    results.forEach((r, i) => expect(first(r)).toEqual(expected[i]));
  });

  it('inputs made by a JS autograd.Function: the graph node may die on the worker thread', async () => {
    const m = model();
    for (let round = 0; round < 20; round++) {
      const x = torch.randn(4, 3, { requiresGrad: true });
      const y = Double.apply<torch.Tensor>(x);
      const expected = first(torch.noGrad(() => m.forward(y.detach())));
      const job = m.forwardAsync(y);
      y.dispose();
      x.dispose();
      gc();
      const [out] = (await job) as torch.Tensor[];
      expect(out.detach().tolist()).toEqual(expected);
      // The output's graph runs back through the JS node to x's grad.
      expect(out.gradFn).not.toBeNull();
    }
  });

  it('bad inputs reject with libtorch\'s message while good ones complete', async () => {
    const m = model();
    const settled = await Promise.allSettled(Array.from({ length: 30 }, (_, i) =>
      m.forwardAsync(i % 3 === 0 ? torch.ones(2, 5) : torch.ones(2, 3))));
    settled.forEach((s, i) => {
      if (i % 3 === 0) {
        expect(s.status).toBe('rejected');
        expect(((s as PromiseRejectedResult).reason as Error).message).toMatch(/mat1 and mat2 shapes cannot be multiplied \(2x5 and 3x4\)/);
      } else {
        expect(s.status).toBe('fulfilled');
      }
    });
  });

  it('a disposed input is refused when the job is queued, not later', async () => {
    const x = torch.ones(2, 3);
    x.dispose();
    await expect(model().forwardAsync(x)).rejects.toThrow(/Tensor has been disposed/);
  });
});

describe('process exit with jobs pending', () => {
  function child(body: string): { status: number | null; signal: string | null; out: string; err: string } {
    if (!fs.existsSync(dist)) throw new Error(`${dist} is missing: run npm run build:ts before these tests`);
    const script = `const torch = require(${JSON.stringify(dist)}); const m = torch.jit.load(${JSON.stringify(fixture)}).eval();\n${body}`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
  }

  it('process.exit() while 64 jobs run exits cleanly with its code', () => {
    const r = child(`for (let i = 0; i < 64; i++) m.forwardAsync(torch.randn(512, 3)).catch(() => {});
      console.log('queued'); process.exit(7);`);
    expect(r.signal, r.err).toBeNull();
    expect(r.status).toBe(7);
    expect(r.out).toBe('queued\n');
  });

  it('the event loop waits for pending jobs, then the process exits 0', () => {
    const r = child(`let done = 0;
      for (let i = 0; i < 16; i++) m.forwardAsync(torch.randn(64, 3)).then(() => { done++; });
      process.on('exit', () => console.log('done', done));`);
    expect(r.signal, r.err).toBeNull();
    expect(r.status).toBe(0);
    expect(r.out).toBe('done 16\n');
  });

  it('an uncaught error while jobs run exits 1 with the error, not a crash', () => {
    const r = child(`for (let i = 0; i < 16; i++) m.forwardAsync(torch.randn(256, 3)).catch(() => {});
      setImmediate(() => { throw new Error('the app failed'); });`);
    expect(r.signal, r.err).toBeNull();
    expect(r.status).toBe(1);
    expect(r.err).toContain('the app failed');
  });
});
