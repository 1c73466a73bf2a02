// torch.distributed (c10d's Gloo), nn.parallel.DistributedDataParallel, DistributedSampler and
// scripts/launch.mjs. The multi-process tests run real processes on loopback through the
// launcher; their scripts import dist/ as the examples do (`npm test` builds it first).
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as torch from '../lib/index';
import { DistributedDataParallel } from '../lib/nn/parallel/index';
import { DistributedSampler } from '../lib/utils/data/distributed-sampler';
import { findPython } from './python';

const dist = torch.distributed;
const root = path.resolve(__dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-distributed-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Writes a worker script importing the built package; returns its path. */
function script(name: string, body: string): string {
  const entry = path.join(root, 'dist/esm/index.mjs');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run npm run build:ts (npm test does it first)`);
  const file = path.join(tmp, `${name}.mjs`);
  fs.writeFileSync(file, `import * as torch from '${pathToFileURL(entry).href}';\nconst dist = torch.distributed;\n${body}`);
  return file;
}

/** Runs `node scripts/launch.mjs --nproc n file args...`. */
function launch(nproc: number, file: string, args: string[] = [], env: Record<string, string> = {}) {
  const start = Date.now();
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/launch.mjs'), '--nproc', String(nproc), file, ...args], {
    cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - start };
}

/** The JSON a rank printed as its last `[rank N] {...}` line. */
function rankJson(stdout: string, rank: number): any {
  const lines = stdout.split('\n').filter((l) => l.startsWith(`[rank ${rank}] {`));
  if (lines.length === 0) throw new Error(`no JSON line from rank ${rank} in:\n${stdout}`);
  return JSON.parse(lines[lines.length - 1].slice(`[rank ${rank}] `.length));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('torch.distributed in one process', () => {
  it('this addon build has the Gloo backend', () => {
    expect(dist.isAvailable()).toBe(true);
    expect(dist.isGlooAvailable()).toBe(true);
    expect(dist.isNcclAvailable()).toBe(false);
  });

  it('initProcessGroup over file://, collectives on one rank, destroyProcessGroup', () => {
    expect(dist.isInitialized()).toBe(false);
    expect(() => dist.getRank()).toThrow('Default process group has not been initialized');
    const group = dist.initProcessGroup({ backend: 'gloo', initMethod: `file://${tmp}/store-1`, rank: 0, worldSize: 1, timeout: 10_000 });
    try {
      expect([dist.isInitialized(), dist.getRank(), dist.getWorldSize(), dist.getBackend()]).toEqual([true, 0, 1, 'gloo']);
      expect([group.rank(), group.size()]).toEqual([0, 1]);
      const t = torch.tensor([1.5, -2]);
      dist.allReduce(t, dist.ReduceOp.MAX);
      dist.allReduce(t, { op: dist.ReduceOp.SUM, group });
      dist.broadcast(t, 0);
      const list = [torch.zeros(2)];
      dist.allGather(list, t);
      dist.barrier();
      expect([t.tolist(), list[0].tolist()]).toEqual([[1.5, -2], [1.5, -2]]);
      expect(() => dist.allGather([torch.zeros(2), torch.zeros(2)], t)).toThrow('expected a list of 1 tensors');
      expect(() => dist.allGather([torch.zeros(3)], t)).toThrow('invalid tensor size');
      expect(() => dist.broadcast(t, 1)).toThrow('expected a source rank in [0, 0]');
      expect(() => dist.allReduce(t, 'mean' as any)).toThrow('expected a torch.distributed.ReduceOp');
      expect(() => dist.initProcessGroup('gloo', { initMethod: `file://${tmp}/store-2`, rank: 0, worldSize: 1 }))
        .toThrow('trying to initialize the default process group twice!');
    } finally {
      dist.destroyProcessGroup();
    }
    expect(dist.isInitialized()).toBe(false);
    expect(() => dist.allReduce(torch.ones(1), { group })).toThrow('the process group has been destroyed');
  });

  it('rendezvous and backend errors say what is missing', () => {
    const keys = ['RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT'];
    const saved = keys.map((k) => process.env[k]);
    try {
      for (const k of keys) delete process.env[k];
      expect(() => dist.initProcessGroup('gloo')).toThrow(
        'Error initializing torch.distributed using env:// rendezvous: environment variable RANK expected, but not set');
      process.env.RANK = '0';
      expect(() => dist.initProcessGroup('gloo', { worldSize: 1 })).toThrow('environment variable MASTER_ADDR expected');
      expect(() => dist.initProcessGroup('gloo', { initMethod: 'tcp://127.0.0.1:1234', worldSize: 2 })).toThrow('rank parameter missing');
      expect(() => dist.initProcessGroup('gloo', { initMethod: 'tcp://127.0.0.1:1234', rank: 2, worldSize: 2 }))
        .toThrow('expected a rank in [0, 1], got 2');
      expect(() => dist.initProcessGroup('gloo', { initMethod: 'foo://x', rank: 0, worldSize: 1 })).toThrow('No rendezvous handler for foo://');
      const file = `file://${tmp}/store-3`;
      expect(() => dist.initProcessGroup('nccl', { initMethod: file, rank: 0, worldSize: 1 })).toThrow('the nccl backend is not built into torch-node');
      expect(() => dist.initProcessGroup('mpi', { initMethod: file, rank: 0, worldSize: 1 })).toThrow("expected backend 'gloo' or 'nccl', got 'mpi'");
      expect(dist.isInitialized()).toBe(false);
    } finally {
      keys.forEach((k, i) => (saved[i] === undefined ? delete process.env[k] : (process.env[k] = saved[i])));
    }
  });

  it('stores: TCPStore server and client, FileStore, PrefixStore namespacing', async () => {
    const port = await freePort();
    const server = new dist.TCPStore('127.0.0.1', port, null, true, { timeout: 5000 });
    const client = new dist.TCPStore('127.0.0.1', port, null, false, { timeout: 5000 });
    client.set('greeting', 'hello');
    expect(server.get('greeting').toString()).toBe('hello');
    expect([server.add('n', 2), client.add('n', 3)]).toEqual([2, 5]);
    const file = new dist.FileStore(path.join(tmp, 'kv'), 1, { timeout: 300 });
    new dist.PrefixStore('job', file).set('x', new Uint8Array([1, 2, 255]));
    expect([...file.get('job/x')]).toEqual([1, 2, 255]);
    expect(() => file.get('missing')).toThrow(/[Tt]imeout/);
  });
});

describe('DistributedDataParallel in one process', () => {
  const withGroup = (fn: () => void) => {
    dist.initProcessGroup({ initMethod: `file://${tmp}/ddp-${Math.random()}`, rank: 0, worldSize: 1, timeout: 10_000 });
    try {
      fn();
    } finally {
      dist.destroyProcessGroup();
    }
  };

  it('gradients equal the plain module\'s; state dict keys start with module.; noSync accumulates', () => withGroup(() => {
    torch.manualSeed(0);
    const plain = new torch.nn.Sequential(new torch.nn.Linear(3, 4), new torch.nn.Tanh(), new torch.nn.Linear(4, 1));
    const copy = new torch.nn.Sequential(new torch.nn.Linear(3, 4), new torch.nn.Tanh(), new torch.nn.Linear(4, 1));
    copy.loadStateDict(plain.stateDict());
    const ddp = new DistributedDataParallel(copy);
    expect(Object.keys(ddp.stateDict())).toEqual(['module.0.weight', 'module.0.bias', 'module.2.weight', 'module.2.bias']);
    const x = torch.randn(5, 3);
    plain.forward(x).pow(2).sum().backward();
    (ddp.forward(x) as torch.Tensor).pow(2).sum().backward();
    const grads = (m: torch.nn.Module) => m.parameters().map((p) => p.grad!.tolist());
    expect(grads(copy)).toEqual(grads(plain));
    ddp.zeroGrad();
    ddp.noSync(() => (ddp.forward(x) as torch.Tensor).pow(2).sum().backward());
    (ddp.forward(x) as torch.Tensor).pow(2).sum().backward();
    const twice = grads(plain).flat(2).map((g) => 2 * (g as number));
    grads(copy).flat(2).forEach((g, i) => expect(g).toBeCloseTo(twice[i], 5));
  }));

  it('unused parameters: PyTorch\'s error without findUnusedParameters, handled with it', () => withGroup(() => {
    class Two extends torch.nn.Module {
      used = new torch.nn.Linear(2, 1);
      unused = new torch.nn.Linear(2, 1);
      override forward(x: torch.Tensor) { return this.used.forward(x); }
    }
    const strict = new DistributedDataParallel(new Two());
    const step = (m: DistributedDataParallel) => (m.forward(torch.ones(3, 2)) as torch.Tensor).sum().backward();
    step(strict);
    expect(() => step(strict)).toThrow('Expected to have finished reduction in the prior iteration');
    const lenient = new DistributedDataParallel(new Two(), { findUnusedParameters: true });
    step(lenient);
    step(lenient);
    expect(lenient.module.unused.weight.grad).toBeNull();
    expect(lenient.module.used.weight.grad!.tolist()).toEqual([[6, 6]]);
    torch.noGrad(() => lenient.forward(torch.ones(1, 2)));  // evaluation arms no reduction
    step(lenient);
  }));

  it('needs a parameter that requires grad, and a process group', () => {
    expect(() => new DistributedDataParallel(new torch.nn.Linear(2, 2))).toThrow('Default process group has not been initialized');
    withGroup(() => {
      expect(() => new DistributedDataParallel(new torch.nn.ReLU())).toThrow('DistributedDataParallel is not needed');
    });
  });
});

describe('DistributedSampler', () => {
  it('partitions indices as PyTorch 2.11 does', () => {
    // From torch.utils.data.distributed.DistributedSampler(list(range(n)), ...) after set_epoch.
    const golden: [number, number, number, boolean, number, boolean, number, number[]][] = [
      // n, numReplicas, rank, shuffle, seed, dropLast, epoch, indices
      [10, 3, 0, true, 0, false, 0, [4, 5, 0, 2]],
      [10, 3, 2, true, 0, false, 0, [7, 9, 6, 1]],
      [10, 3, 1, true, 7, false, 3, [4, 3, 8, 7]],
      [10, 3, 1, false, 0, false, 0, [1, 4, 7, 0]],
      [10, 3, 2, false, 0, true, 0, [2, 5, 8]],
      [10, 4, 3, true, 0, true, 1, [2, 3]],
      [3, 8, 6, false, 0, false, 0, [0]],
      [3, 8, 7, true, 1, false, 0, [2]],
    ];
    for (const [n, numReplicas, rank, shuffle, seed, dropLast, epoch, indices] of golden) {
      const sampler = new DistributedSampler([...Array(n).keys()], { numReplicas, rank, shuffle, seed, dropLast });
      sampler.setEpoch(epoch);
      expect([...sampler]).toEqual(indices);
      expect(sampler.length).toBe(indices.length);
    }
    expect(() => new DistributedSampler([1, 2], { numReplicas: 2, rank: 2 })).toThrow('Invalid rank 2, rank should be in the interval [0, 1]');
    expect(() => new DistributedSampler([1, 2])).toThrow('Default process group has not been initialized');
  });
});

describe('two processes on loopback (scripts/launch.mjs)', () => {
  it('allReduce, broadcast, allGather and barrier give every rank the same values', () => {
    const file = script('collectives', `
dist.initProcessGroup('gloo', { timeout: 20000 });
const rank = dist.getRank();
const out = { rank, worldSize: dist.getWorldSize() };
const reduce = (values, op) => { const t = torch.tensor(values); dist.allReduce(t, op); return t.tolist(); };
out.sum = reduce([1 + rank, 2 * rank, -rank]);
out.max = reduce([rank, 10 - rank], dist.ReduceOp.MAX);
out.min = reduce([rank, 10 - rank], { op: dist.ReduceOp.MIN });
out.product = reduce([rank + 2, 0.5], dist.ReduceOp.PRODUCT);
out.avg = reduce([rank, 4], dist.ReduceOp.AVG);
const big = torch.tensor([BigInt(2 ** 40 + rank)]); dist.allReduce(big); out.int64 = String(big.toTypedArray()[0]);
const b = rank === 1 ? torch.tensor([[7, 8], [9, 10]]) : torch.zeros(2, 2); dist.broadcast(b, 1); out.broadcast = b.tolist();
const list = [torch.zeros(2), torch.zeros(2)]; dist.allGather(list, torch.tensor([rank, 10 * rank])); out.gathered = list.map((t) => t.tolist());
if (rank === 1) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600);
const start = Date.now(); dist.barrier(); out.barrierMs = Date.now() - start;
console.log(JSON.stringify(out));
dist.destroyProcessGroup();`);
    const r = launch(2, file);
    expect(r.status, r.stderr).toBe(0);
    const [a, b] = [rankJson(r.stdout, 0), rankJson(r.stdout, 1)];
    const expected = {
      worldSize: 2, sum: [3, 2, -1], max: [1, 10], min: [0, 9], product: [6, 0.25], avg: [0.5, 4], int64: String(2 ** 41 + 1),
      broadcast: [[7, 8], [9, 10]], gathered: [[0, 0], [1, 10]],
    };
    expect(a).toMatchObject({ rank: 0, ...expected });
    expect(b).toMatchObject({ rank: 1, ...expected });
    expect(a.barrierMs).toBeGreaterThan(400);  // rank 0 waited in the barrier for rank 1
  });

  it('DDP trains the MLP example: identical weights on both ranks, equal to one process on the combined batches', () => {
    const example = path.join(root, 'examples/ddp.mjs');
    const two = launch(2, example, ['--epochs', '10', '--out', path.join(tmp, 'ddp2')]);
    expect(two.status, two.stderr).toBe(0);
    const one = launch(1, example, ['--epochs', '10', '--out', path.join(tmp, 'ddp1')]);
    expect(one.status, one.stderr).toBe(0);
    const weights = (dir: string, rank: number) => JSON.parse(fs.readFileSync(path.join(tmp, dir, `rank${rank}.json`), 'utf8'));
    const [rank0, rank1, single] = [weights('ddp2', 0), weights('ddp2', 1), weights('ddp1', 0)];
    expect(Object.keys(rank0)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(rank1).toEqual(rank0);  // bitwise: every rank applied the same averaged gradients
    for (const k of Object.keys(rank0)) rank0[k].forEach((v: number, i: number) => expect(Math.abs(v - single[k][i])).toBeLessThan(1e-5));
    // The printed losses (averaged over the ranks) agree too.
    const losses = (out: string) => [...out.matchAll(/loss (\d\.\d+)/g)].map((m) => Number(m[1]));
    expect(losses(two.stdout).length).toBe(2);
    losses(two.stdout).forEach((l, i) => expect(l).toBeCloseTo(losses(one.stdout)[i], 5));
  });

  it('a rank that dies, or goes silent, makes the others fail with an Error within the timeout', () => {
    const file = script('peer-lost', `
const mode = process.argv[2];
dist.initProcessGroup('gloo', { timeout: 2000 });
const rank = dist.getRank();
const model = mode === 'ddp' ? new torch.nn.parallel.DistributedDataParallel(new torch.nn.Linear(2, 1)) : null;
dist.barrier();
if (rank === 1) {
  if (mode === 'silent') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3500);
  process.exit(0);
}
const start = Date.now();
try {
  if (model) model.forward(torch.ones(4, 2)).sum().backward();
  else dist.allReduce(torch.ones(3));
  console.log(JSON.stringify({ error: null }));
} catch (e) {
  console.log(JSON.stringify({ error: e.message, isError: e instanceof Error, ms: Date.now() - start }));
}`);
    const closed = /Connection closed by peer|Connection reset/;
    for (const [mode, message] of [['exit', closed], ['silent', /Timed out/], ['ddp', closed]] as const) {
      const r = launch(2, file, [mode]);
      expect(r.status, r.stderr).toBe(0);
      const result = rankJson(r.stdout, 0);
      expect(result.isError, `${mode}: ${r.stdout}`).toBe(true);
      expect(result.error).toMatch(message);
      expect(result.ms).toBeLessThan(2000 + 2500);  // the group's timeout, plus the wait's slack
    }
  });

  it('the launcher prefixes output, stops the other ranks and exits with the failed rank\'s status', () => {
    const file = script('one-fails', `
if (process.env.RANK === '1') { console.log('about to fail'); process.exit(3); }
dist.initProcessGroup('gloo', { timeout: 60000 });  // would wait a minute for rank 1
console.log('unreachable');`);
    const r = launch(2, file);
    expect(r.status).toBe(3);
    expect(r.stdout).toContain('[rank 1] about to fail');
    expect(r.stdout).not.toContain('unreachable');
    expect(r.stderr).toContain('[launch] rank 1 exited with 3; stopping the other ranks');
    expect(r.ms).toBeLessThan(20_000);
  });
});

// A PyTorch process joins a torch-node group as rank 1: same rendezvous, same collectives,
// and the same DDP training, bitwise. Needs a Python with torch (TORCH_NODE_PYTHON).
const { python, reason } = findPython('torch, torch.distributed');
if (reason) console.log(`Python interop test skipped: ${reason}`);

describe.skipIf(!python)('a PyTorch (Python) process as a rank', () => {
  it('trains the DDP MLP with a torch-node rank to bitwise equal weights', async () => {
    const port = await freePort();
    const env = { MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port), WORLD_SIZE: '2' };
    const pyFile = path.join(tmp, 'ddp.py');
    fs.writeFileSync(pyFile, `
import json, math, sys, torch, torch.distributed as dist
from torch import nn
from torch.utils.data import DataLoader, Subset, TensorDataset
from torch.utils.data.distributed import DistributedSampler
dist.init_process_group('gloo')
rank, world = dist.get_rank(), dist.get_world_size()
x = torch.linspace(-math.pi, math.pi, 256).unsqueeze(1)
dataset = TensorDataset(x, x.sin())
torch.manual_seed(1 + rank)
model = nn.parallel.DistributedDataParallel(nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 1)))
loss_fn, opt = nn.MSELoss(), torch.optim.Adam(model.parameters(), lr=0.01)
sampler = DistributedSampler(dataset, seed=0)
for epoch in range(5):
    sampler.set_epoch(epoch)
    total = torch.zeros(2)
    for xb, yb in DataLoader(Subset(dataset, list(sampler)), batch_size=64 // world):
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        total += torch.tensor([loss.item(), 1])
    dist.all_reduce(total)
json.dump({k: v.flatten().tolist() for k, v in model.module.state_dict().items()}, open(sys.argv[1], 'w'))
dist.destroy_process_group()
`);
    // A rank that fails stops the other (it would wait for its peer until Gloo's timeout); a cold
    // `import torch` on a loaded machine can take a minute, hence the long limits.
    const children: ReturnType<typeof spawn>[] = [];
    const run = (cmd: string, args: string[], rank: number) => new Promise<string>((resolve) => {
      const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env, RANK: String(rank) } });
      children.push(child);
      let output = '';
      child.stdout!.on('data', (d) => { output += d; });
      child.stderr!.on('data', (d) => { output += d; });
      const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code !== 0) children.forEach((c) => c.kill('SIGKILL'));
        resolve(`exit ${code ?? signal}\n${output}`);
      });
    });
    const outputs = await Promise.all([
      run(process.execPath, [path.join(root, 'examples/ddp.mjs'), '--epochs', '5', '--out', path.join(tmp, 'mixed')], 0),
      run(python!, [pyFile, path.join(tmp, 'python-rank1.json')], 1),
    ]);
    outputs.forEach((o) => expect(o.startsWith('exit 0\n'), o).toBe(true));
    const node = JSON.parse(fs.readFileSync(path.join(tmp, 'mixed/rank0.json'), 'utf8'));
    expect(JSON.parse(fs.readFileSync(path.join(tmp, 'python-rank1.json'), 'utf8'))).toEqual(node);
  }, 180_000);
});
