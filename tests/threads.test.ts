// The addon in worker_threads and child processes. Each worker loads it into its own Node
// environment: state lives in Node-API instance data, so workers neither share nor corrupt
// each other's tensors, op tables or live-tensor counts, and a worker that exits (or is
// terminated) mid-training takes only its own tensors with it. Workers and children load the
// built package (dist/), as an application would.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

const dist = path.resolve(__dirname, '..', 'dist', 'cjs', 'index.js');
const fixture = path.resolve(__dirname, 'fixtures', 'scripted.pt');
beforeAll(() => {
  if (!fs.existsSync(dist)) throw new Error(`${dist} is missing: run npm run build:ts before these tests`);
});

// Fits y = k x + 1 with nn.Linear and SGD (each step in torch.tidy), then reports the weights
// and this environment's live tensors before and after. `steps` < 0 trains until terminated,
// posting each step.
const TRAIN = `
const torch = require(DIST);
function train(k, steps, onStep) {
  torch.manualSeed(k);
  const live0 = torch.liveTensors();
  const x = torch.linspace(-1, 1, 64).reshape(64, 1);
  const y = x.mul(k).add(1);
  const model = new torch.nn.Linear(1, 1);
  const opt = new torch.optim.SGD(model.parameters(), { lr: 0.3 });
  for (let i = 0; steps < 0 || i < steps; i++) {
    torch.tidy(() => {
      opt.zeroGrad();
      const loss = torch.nn.functional.mseLoss(model.forward(x), y);
      loss.backward();
      opt.step();
    });
    if (onStep) onStep(i);
  }
  const result = { k, weight: model.weight.item(), bias: model.bias.item(), liveDuring: torch.liveTensors() - live0 };
  x.dispose(); y.dispose();
  return result;
}`;

const workerCode = (body: string) => `${TRAIN.replace('DIST', JSON.stringify(dist))}
const { parentPort, workerData } = require('node:worker_threads');
${body}`;

function startWorker(body: string, workerData: unknown): Worker {
  return new Worker(workerCode(body), { eval: true, workerData });
}

function result(w: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    w.on('message', resolve);
    w.on('error', reject);
    w.on('exit', (code) => resolve({ exited: code }));
  });
}

describe('worker_threads', () => {
  it('four workers train at once, each its own model, each counting only its own tensors', async () => {
    const workers = [1, 2, 3, 4].map((k) => startWorker('parentPort.postMessage(train(workerData.k, 200));', { k }));
    const mainLive = torch.liveTensors();
    const results = (await Promise.all(workers.map(result))) as { k: number; weight: number; bias: number; liveDuring: number }[];
    for (const r of results) {
      expect(r.weight).toBeCloseTo(r.k, 3);
      expect(r.bias).toBeCloseTo(1, 3);
      // x, y, the model's 2 parameters, their 2 grads and SGD's state: nothing per step.
      expect(r.liveDuring).toBeLessThanOrEqual(8);
    }
    expect(results.map((r) => r.k)).toEqual([1, 2, 3, 4]);
    // The workers' tensors were never counted here.
    expect(torch.liveTensors()).toBeLessThanOrEqual(mainLive); // (the GC may free earlier garbage meanwhile)
  });

  it('a worker terminated mid-training leaves the main thread computing correctly', async () => {
    const w = startWorker('train(3, -1, (i) => parentPort.postMessage(i));', null);
    const steps: number[] = [];
    await new Promise<void>((resolve, reject) => {
      w.on('error', reject);
      w.on('message', (i: number) => {
        steps.push(i);
        if (steps.length === 20) resolve();
      });
    });
    // The main thread computes while the worker trains, then terminates it mid-step.
    const a = torch.arange(9).float().reshape(3, 3);
    expect(a.matmul(a).sum().item()).toBe(486);
    const exitCode = await w.terminate();
    expect(exitCode).toBe(1);
    expect(steps.length).toBeGreaterThanOrEqual(20);
    expect(a.matmul(a).sum().item()).toBe(486);
    // A new worker after that trains as well as the first ones did.
    const again = (await result(startWorker('parentPort.postMessage(train(5, 200));', null))) as { weight: number };
    expect(again.weight).toBeCloseTo(5, 3);
  });

  it('workers that exit on their own (process.exit in a worker) with tensors alive', async () => {
    const codes = await Promise.all([0, 1, 2].map((i) => result(startWorker(
      `const t = torch.ones(1000, 100); train(2, 50); process.exit(${i});`, null))));
    expect(codes).toEqual([{ exited: 0 }, { exited: 1 }, { exited: 2 }]);
    expect(torch.ones(4).sum().item()).toBe(4);
  });

  it('a worker terminated while its TorchScript jobs run on the thread pool', async () => {
    const w = startWorker(`
      const m = torch.jit.load(${JSON.stringify(fixture)}).eval();
      for (let i = 0; i < 64; i++) m.forwardAsync(torch.randn(256, 3), 2).catch(() => {});
      parentPort.postMessage('queued');`, null);
    await new Promise((resolve) => w.once('message', resolve));
    await w.terminate();
    const m = torch.jit.load(fixture).eval();
    const [y] = (await m.forwardAsync(torch.ones(2, 3))) as torch.Tensor[];
    expect(y.shape).toEqual([2, 2]);
  });
});

describe('child processes', () => {
  function child(script: string): Promise<{ code: number | null; signal: string | null; out: string }> {
    return new Promise((resolve) => {
      const c = spawn(process.execPath, ['-e', `${TRAIN.replace('DIST', JSON.stringify(dist))}\n${script}`], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      c.stdout.on('data', (d) => { out += d; });
      c.on('exit', (code, signal) => resolve({ code, signal, out }));
    });
  }

  it('three processes train at once and each gets its own answer', async () => {
    const runs = await Promise.all([2, 4, 6].map((k) => child(`console.log(JSON.stringify(train(${k}, 200)));`)));
    runs.forEach((r, i) => {
      expect(r.code).toBe(0);
      const { weight, liveDuring } = JSON.parse(r.out);
      expect(weight).toBeCloseTo([2, 4, 6][i], 3);
      expect(liveDuring).toBeLessThanOrEqual(8);
    });
  });

  it('a process killed mid-training dies alone', async () => {
    const c = spawn(process.execPath, ['-e', `${TRAIN.replace('DIST', JSON.stringify(dist))}\ntrain(3, -1, (i) => { if (i === 10) console.log('training'); });`],
      { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((resolve) => c.stdout.once('data', resolve));
    c.kill('SIGKILL');
    const [, signal] = await new Promise<[number | null, string | null]>((resolve) => c.on('exit', (code, s) => resolve([code, s])));
    expect(signal).toBe('SIGKILL');
    expect(torch.tensor([1, 2, 3]).dot(torch.tensor([4, 5, 6])).item()).toBe(32);
  });
});
