// Trainer's TensorBoard callback writes Keras's layout: epoch_<metric> scalars in the `train`
// and `validation` runs, equal to the History's values.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as torch from '../lib/index';

const { Trainer, TensorBoard } = torch.utils.trainer;
const { decodeRecords, decodeEvent } = torch.utils.tensorboard;

function scalars(dir: string): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.startsWith('events.out.tfevents.'))) {
    for (const record of decodeRecords(fs.readFileSync(path.join(dir, file)))) {
      const event = decodeEvent(record);
      for (const v of event.summary?.value ?? []) (out[v.tag] ??= []).push([Number(event.step ?? 0), v.simpleValue as number]);
    }
  }
  return out;
}

describe('trainer.TensorBoard', () => {
  it('logs every epoch of fit, training and validation apart', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-tbcb-'));
    try {
      torch.manualSeed(0);
      const x = torch.randn(64, 3);
      const y = x.sum(1).gt(0).long();
      const trainer = new Trainer(new torch.nn.Linear(3, 2)).compile({ optimizer: 'adam', loss: 'crossEntropy', metrics: ['accuracy'] });
      const history = trainer.fit(x, y, { epochs: 3, batchSize: 16, validationSplit: 0.25, verbose: 0, callbacks: [new TensorBoard(dir)] });
      const train = scalars(path.join(dir, 'train'));
      const validation = scalars(path.join(dir, 'validation'));
      expect(Object.keys(train).sort()).toEqual(['epoch_accuracy', 'epoch_loss']);
      expect(Object.keys(validation).sort()).toEqual(['epoch_accuracy', 'epoch_loss']);
      expect(train.epoch_loss.map(([step]) => step)).toEqual([0, 1, 2]);
      train.epoch_loss.forEach(([, v], i) => expect(v).toBeCloseTo(history.history.loss[i], 5));
      validation.epoch_loss.forEach(([, v], i) => expect(v).toBeCloseTo(history.history.valLoss[i], 5));
      validation.epoch_accuracy.forEach(([, v], i) => expect(v).toBeCloseTo(history.history.valAccuracy[i], 5));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
