// The feedforward examples as a user runs them: examples/mlp.mjs (fits sin, saves a
// checkpoint) and examples/classifier.mjs --quick (MLPClassifier, then the credit model with
// its validation accuracy and confusion matrix). They import 'torch-node', i.e. dist/, which
// `npm test` builds first (pretest).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as torch from '../lib/index';

const root = path.resolve(__dirname, '..');

function run(name: string, args: string[], cwd: string): string {
  const r = spawnSync(process.execPath, [path.join(root, 'examples', name), ...args], {
    cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  if (r.status !== 0) throw new Error(`examples/${name} exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('feedforward examples', () => {
  it('mlp.mjs fits sin and writes a checkpoint that loads back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-mlp-'));
    try {
      const out = run('mlp.mjs', [], dir);
      const losses = [...out.matchAll(/loss (\d+\.\d+)/g)].map((m) => Number(m[1]));
      expect(losses.length).toBeGreaterThan(2);
      expect(losses.at(-1)).toBeLessThan(1e-3);
      const probe = /sin\(\[-1\.5, 0, 1\.5\]\) ≈ tensor\(\[\s*(\S+),\s*(\S+),\s*(\S+)\]\)/.exec(out);
      expect(probe).not.toBeNull();
      const expected = [Math.sin(-1.5), 0, Math.sin(1.5)];
      probe!.slice(1).forEach((v, i) => expect(Number(v)).toBeCloseTo(expected[i], 1));
      const state = torch.load(path.join(dir, 'mlp.pt')) as Record<string, torch.Tensor>;
      expect(Object.keys(state).sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
      expect(state['0.weight'].shape).toEqual([32, 1]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--logdir writes TensorBoard event files: mlp.mjs logs its loss every 10 steps', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-logdir-'));
    try {
      run('mlp.mjs', ['--logdir', path.join(dir, 'runs')], dir);
      const [file] = fs.readdirSync(path.join(dir, 'runs/mlp')).filter((f) => f.startsWith('events.out.tfevents.'));
      const { decodeRecords, decodeEvent } = torch.utils.tensorboard;
      const events = decodeRecords(fs.readFileSync(path.join(dir, 'runs/mlp', file))).map((r) => decodeEvent(r));
      expect(events[0].fileVersion).toBe('brain.Event:2');
      const losses = events.filter((e) => e.summary).map((e) => [Number(e.step ?? 0), e.summary!.value[0].tag, e.summary!.value[0].simpleValue]);
      expect(losses).toHaveLength(151);
      expect(losses[0].slice(0, 2)).toEqual([0, 'loss']);
      expect(losses.at(-1)![0]).toBe(1500);
      expect(losses.at(-1)![2]).toBeLessThan(1e-3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('classifier.mjs --quick prints accuracies and a consistent confusion matrix', () => {
    const out = run('classifier.mjs', ['--quick'], os.tmpdir());
    const mlp = /MLPClassifier \(5, 2\) on random labels: training accuracy (\d+\.\d)%/.exec(out);
    expect(Number(mlp![1])).toBeGreaterThanOrEqual(30);
    const credit = /credit model: validation accuracy (\d+\.\d)% on (\d+) borrowers/.exec(out);
    expect(Number(credit![1])).toBeGreaterThan(85);
    const rows = [/repaid\s+(\d+)\s+(\d+)/, /default\s+(\d+)\s+(\d+)/].map((re) => re.exec(out.split('confusion matrix')[1])!.slice(1).map(Number));
    const total = rows.flat().reduce((a, b) => a + b, 0);
    expect(total).toBe(Number(credit![2]));
    expect((100 * (rows[0][0] + rows[1][1])) / total).toBeCloseTo(Number(credit![1]), 0);
  });
});
