import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

// Each worker loads the addon into its own Node environment: state lives in Node-API
// instance data, so workers neither share nor corrupt each other's tensors or op tables.
const addon = path.resolve(__dirname, '..', 'build', 'Release', 'torch_node.node');
const workerCode = `
const { parentPort, workerData } = require('node:worker_threads');
const native = require(workerData.addon);
const ones = native.opHandle('aten::ones', '');
const mul = native.opHandle('aten::mul', 'Scalar');
const sum = native.opHandle('aten::sum', '');
let total = 0;
for (let i = 0; i < 2000; i++) total += native.item(native.callOp(sum, native.callOp(mul, native.callOp(ones, [10]), workerData.k)));
parentPort.postMessage(total);
`;

function run(k: number, exitEarly = false): Promise<number | 'exited'> {
  return new Promise((resolve, reject) => {
    const w = new Worker(workerCode, { eval: true, workerData: { addon, k } });
    w.on('message', (m) => resolve(m));
    w.on('error', reject);
    w.on('exit', () => resolve('exited'));
    if (exitEarly) setTimeout(() => void w.terminate(), 5);
  });
}

describe('worker_threads', () => {
  it('several workers compute at once, each with its own tensors', async () => {
    const results = await Promise.all([1, 2, 3].map((k) => run(k)));
    expect(results).toEqual([20000, 40000, 60000]);
    expect(torch.ones(3).sum().item()).toBe(3);
  });

  it('a worker terminated mid-loop leaves the main thread working', async () => {
    await Promise.all([run(1, true), run(2, true)]);
    expect(torch.arange(4).sum().item()).toBe(6);
  });
});
