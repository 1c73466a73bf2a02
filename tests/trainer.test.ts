import { describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import * as torch from '../lib/index';
import { Trainer, EarlyStopping, LambdaCallback, ModelCheckpoint, LearningRateScheduler } from '../lib/utils/trainer/index';
import { exposedGc } from '../lib/gc-pacing';

const { nn, optim } = torch;
const sgd = (lr: number) => (params: torch.nn.Parameter[]) => new optim.SGD(params, { lr });
const values = (t: torch.Tensor) => t.tolist() as number[];

interface GoldenEarlyStopping {
  sequence: number[];
  options: { patience: number; mode: 'min' | 'max'; min_delta?: number; baseline?: number; start_from_epoch?: number; restore_best_weights?: boolean };
  logged: number[];
  stoppedEpoch: number;
  bestEpoch: number;
  restoredEpoch: number | null;
}
// Written by tests/fixtures/trainer-golden.py with Keras 3 (torch backend).
const golden = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'trainer-golden.json'), 'utf8')) as {
  earlyStopping: GoldenEarlyStopping[];
  validationSplit: { n: number; fraction: number; train: number; validation: number }[];
};

/** y = 3 x0 - 2 x1 + 1, exactly. */
function regression(n: number) {
  const x = torch.randn(n, 2);
  const y = x.get(':, 0').mul(3).sub(x.get(':, 1').mul(2)).add(1).unsqueeze(1);
  return { x, y };
}

/** Three well separated blobs in 2-D; labels int64. */
function blobs(n: number) {
  const y = torch.arange(n).remainder(3);
  const centers = torch.tensor([[4, 0], [-4, 0], [0, 4]]);
  const x = centers.indexSelect(0, y).add(torch.randn(n, 2).mul(0.5));
  return { x, y };
}

const classifier = () => new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Linear(16, 3));

describe('Trainer', () => {
  it('fits a linear regression to a low loss; history has one value per epoch for loss and metrics', () => {
    torch.manualSeed(0);
    const { x, y } = regression(256);
    const t = new Trainer(new nn.Linear(2, 1)).compile({ optimizer: sgd(0.1), loss: 'mse', metrics: ['mae'] });
    const h = t.fit(x, y, { epochs: 20, batchSize: 16, verbose: 0 });
    expect(Object.keys(h.history)).toEqual(['loss', 'mae']);
    expect(h.history.loss).toHaveLength(20);
    expect(h.history.mae).toHaveLength(20);
    expect(h.epoch).toEqual([...Array(20).keys()]);
    expect(h.params).toEqual({ epochs: 20, steps: 16, verbose: 0 });
    expect(h.history.loss[19]).toBeLessThan(1e-6);
    expect(h.history.loss[0]).toBeGreaterThan(h.history.loss[19]);
    const [w, b] = t.model.parameters();
    expect(values(w.flatten())[0]).toBeCloseTo(3, 3);
    expect(values(w.flatten())[1]).toBeCloseTo(-2, 3);
    expect(values(b)[0]).toBeCloseTo(1, 3);
    // y of shape [N] against an output [N, 1] is reshaped, as Keras does.
    expect(t.evaluate(x, y.squeeze(1)).loss).toBeCloseTo(t.evaluate(x, y).loss, 10);
  });

  it('fit takes the same steps as the PyTorch loop it replaces (in order, or shuffled by a generator)', () => {
    torch.manualSeed(12);
    const { x, y } = regression(20);
    const start = new nn.Linear(2, 1);
    const manual = (order: number[] | null) => {
      const model = nn.deepCopy(start);
      const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
      for (let epoch = 0; epoch < 2; epoch++) {
        const rows = order ?? [...Array(20).keys()];
        for (let i = 0; i < 20; i += 8) {
          const index = torch.tensor(rows.slice(i, i + 8).map(BigInt));
          opt.zeroGrad();
          nn.functional.mseLoss(model.forward(x.indexSelect(0, index)), y.indexSelect(0, index)).backward();
          opt.step();
        }
      }
      return model.parameters().map(values);
    };
    const viaFit = (options: { shuffle?: boolean; generator?: torch.Generator }) => {
      const model = nn.deepCopy(start);
      new Trainer(model).compile({ optimizer: sgd(0.1), loss: 'mse' }).fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, ...options });
      return model.parameters().map(values);
    };
    expect(viaFit({ shuffle: false })).toEqual(manual(null));
    // shuffled: each epoch draws randperm(n) from the generator given
    const g = new torch.Generator().manualSeed(3);
    const orders = [torch.randperm(20, { generator: g }), torch.randperm(20, { generator: g })].map(values);
    const model = nn.deepCopy(start);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    for (const order of orders) {
      for (let i = 0; i < 20; i += 8) {
        const index = torch.tensor(order.slice(i, i + 8).map(BigInt));
        opt.zeroGrad();
        nn.functional.mseLoss(model.forward(x.indexSelect(0, index)), y.indexSelect(0, index)).backward();
        opt.step();
      }
    }
    expect(viaFit({ generator: new torch.Generator().manualSeed(3) })).toEqual(model.parameters().map(values));
    // initialEpoch resumes the numbering
    const h = new Trainer(nn.deepCopy(start)).compile({ optimizer: sgd(0.1), loss: 'mse' }).fit(x, y, { epochs: 4, initialEpoch: 2, verbose: 0 });
    expect(h.epoch).toEqual([2, 3]);
    expect(h.history.loss).toHaveLength(2);
  });

  it('fits a classifier with validation: keys loss, accuracy, valLoss, valAccuracy', () => {
    torch.manualSeed(1);
    const { x, y } = blobs(300);
    const adam = (params: torch.nn.Parameter[]) => new optim.Adam(params, { lr: 0.02 });
    const t = new Trainer(classifier()).compile({ optimizer: adam, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const h = t.fit(x, y, { epochs: 15, batchSize: 32, validationSplit: 0.2, verbose: 0 });
    expect(Object.keys(h.history)).toEqual(['loss', 'accuracy', 'valLoss', 'valAccuracy']);
    for (const v of Object.values(h.history)) expect(v).toHaveLength(15);
    expect(h.params.steps).toBe(8); // 240 training rows / 32
    expect(h.history.accuracy[14]).toBeGreaterThan(0.97);
    expect(h.history.valAccuracy[14]).toBeGreaterThan(0.97);
    expect(h.history.loss[14]).toBeLessThan(0.15);
    expect(t.history).toBe(h);
  });

  it('validationSplit holds out the last fraction (Keras 3: floor of the training share), before shuffling', () => {
    torch.manualSeed(2);
    const { x, y } = regression(10);
    const a = new nn.Linear(2, 1);
    const b = nn.deepCopy(a);
    const options = { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 as const };
    const ha = new Trainer(a).compile({ optimizer: sgd(0.05), loss: 'mse' }).fit(x, y, { ...options, validationSplit: 0.25 });
    // floor(10 * 0.75) = 7 training rows, the last 3 for validation
    const hb = new Trainer(b).compile({ optimizer: sgd(0.05), loss: 'mse' })
      .fit(x.narrow(0, 0, 7), y.narrow(0, 0, 7), { ...options, validationData: [x.narrow(0, 7, 3), y.narrow(0, 7, 3)] });
    expect(ha.history).toEqual(hb.history);
    expect(ha.params.steps).toBe(2);
    // Where Keras cuts; shuffling reorders the training rows only, so a frozen model's
    // validation loss is that of the last rows.
    for (const { n, fraction, train, validation } of golden.validationSplit) {
      const data = regression(n);
      const t = new Trainer(new nn.Linear(2, 1)).compile({ optimizer: sgd(0), loss: 'mse' });
      const h = t.fit(data.x, data.y, { epochs: 1, batchSize: 1, validationSplit: fraction, verbose: 0 });
      expect([n, fraction, h.params.steps]).toEqual([n, fraction, train]);
      expect(h.history.valLoss[0]).toBe(t.evaluate(data.x.narrow(0, train, validation), data.y.narrow(0, train, validation), { batchSize: 1 }).loss);
    }
  });

  it('evaluate equals the loss and accuracy computed by hand, whatever the batch size', () => {
    torch.manualSeed(3);
    const { x, y } = blobs(100);
    const model = classifier();
    const t = new Trainer(model).compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    t.fit(x, y, { epochs: 2, verbose: 0 });
    const logits = torch.noGrad(() => model.forward(x)) as torch.Tensor;
    const loss = nn.functional.crossEntropy(logits, y).item();
    const accuracy = logits.argmax(1).eq(y).float().mean().item();
    for (const batchSize of [7, 32, 100]) {
      const r = t.evaluate(x, y, { batchSize });
      expect(Object.keys(r)).toEqual(['loss', 'accuracy']);
      expect(r.loss).toBeCloseTo(loss, 5);
      expect(r.accuracy).toBeCloseTo(accuracy, 6);
    }
    // one-hot targets with categoricalCrossentropy give the same numbers
    const oneHot = nn.functional.oneHot(y, 3).float();
    const c = new Trainer(model).compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const r = c.evaluate(x, oneHot, { batchSize: 9 });
    expect(r.loss).toBeCloseTo(loss, 5);
    expect(r.accuracy).toBeCloseTo(accuracy, 6);
  });

  it('predict runs in eval mode without gradients, batch by batch, and restores the mode', () => {
    torch.manualSeed(4);
    const model = new nn.Sequential(new nn.Linear(4, 8), new nn.Dropout(0.5), new nn.Linear(8, 3));
    const x = torch.randn(50, 4);
    const t = new Trainer(model);
    const out = t.predict(x, { batchSize: 16 });
    expect(out.shape).toEqual([50, 3]);
    expect(out.requiresGrad).toBe(false);
    expect(model.training).toBe(true);
    model.eval();
    const expected = torch.noGrad(() => model.forward(x)) as torch.Tensor;
    expect(torch.allclose(out, expected, { atol: 1e-6 })).toBe(true);
    expect(model.training).toBe(false); // left as it was
    expect(t.predict(torch.randn(5, 4)).shape).toEqual([5, 3]);
  });

  it('EarlyStopping stops after `patience` epochs without improvement and restores the best weights', () => {
    torch.manualSeed(5);
    const { x, y } = regression(32);
    const sequence = [5, 4, 3, 3.5, 3.2, 3.1, 1, 0.5];
    let epoch = 0;
    const crafted = () => sequence[epoch];
    const weights: number[][] = [];
    const model = new nn.Linear(2, 1);
    const t = new Trainer(model).compile({ optimizer: sgd(0.01), loss: 'mse', metrics: [crafted] });
    const stop = new EarlyStopping({ monitor: 'crafted', mode: 'min', patience: 2, restoreBestWeights: true });
    const h = t.fit(x, y, {
      epochs: sequence.length,
      verbose: 0,
      callbacks: [
        new LambdaCallback({ onEpochBegin: (e) => { epoch = e; }, onEpochEnd: () => { weights.push(values(model.weight.flatten())); } }),
        stop,
      ],
    });
    // Keras: best 3 at epoch 2; epochs 3 and 4 do not improve, so training stops after epoch 4.
    expect(h.history.crafted).toEqual([5, 4, 3, 3.5, 3.2]);
    expect(stop.stoppedEpoch).toBe(4);
    expect(stop.bestEpoch).toBe(2);
    expect(values(model.weight.flatten())).toEqual(weights[2]);
    expect(weights[4]).not.toEqual(weights[2]);

    // minDelta: 0.95 and 0.9 do not beat 1 by more than 0.1; mode 'auto' maximizes accuracy-like names.
    epoch = 0;
    sequence.splice(0, sequence.length, 1, 0.95, 0.9, 0.85);
    const byDelta = new EarlyStopping({ monitor: 'crafted', mode: 'min', patience: 1, minDelta: 0.1 });
    expect(t.fit(x, y, { epochs: 4, verbose: 0, callbacks: [new LambdaCallback({ onEpochBegin: (e) => { epoch = e; } }), byDelta] }).history.crafted).toEqual([1, 0.95]);
    expect(new EarlyStopping({ monitor: 'valAccuracy' }).mode).toBe('max');
    expect(new EarlyStopping().mode).toBe('min');
    expect(() => new EarlyStopping({ monitor: 'crafted' })).toThrow("EarlyStopping: cannot tell whether 'crafted' should be minimized or maximized; pass mode: 'min' or 'max'");
    expect(() => t.fit(x, y, { epochs: 2, verbose: 0, callbacks: [new EarlyStopping({ monitor: 'val_loss' })] }))
      .toThrow("EarlyStopping: monitor 'val_loss' is not in the logs; there are 'loss', 'crafted'");
  });

  it('EarlyStopping follows Keras 3 on crafted sequences (patience, minDelta, baseline, startFromEpoch, restoring)', () => {
    const model = new nn.Linear(1, 1, { bias: false });
    const trainer = { model, stopTraining: false } as unknown as Trainer;
    for (const c of golden.earlyStopping) {
      const o = c.options;
      const stop = new EarlyStopping({ monitor: 'crafted', mode: o.mode, patience: o.patience, minDelta: o.min_delta,
        baseline: o.baseline, startFromEpoch: o.start_from_epoch, restoreBestWeights: o.restore_best_weights });
      stop.setTrainer(trainer);
      trainer.stopTraining = false;
      stop.onTrainBegin();
      const logged: number[] = [];
      for (const [epoch, value] of c.sequence.entries()) {
        torch.noGrad(() => model.weight.fill_(epoch)); // the weights "of" each epoch
        logged.push(value);
        stop.onEpochEnd(epoch, { crafted: value });
        if (trainer.stopTraining) break;
      }
      torch.noGrad(() => model.weight.fill_(-1));
      stop.onTrainEnd();
      const restored = model.weight.item();
      const result = { logged, stoppedEpoch: stop.stoppedEpoch, bestEpoch: stop.bestEpoch, restoredEpoch: restored === -1 ? null : restored };
      expect({ sequence: c.sequence, ...result }).toEqual({ sequence: c.sequence, logged: c.logged, stoppedEpoch: c.stoppedEpoch, bestEpoch: c.bestEpoch, restoredEpoch: c.restoredEpoch });
    }
  });

  it('metric functions: named functions and { name, fn } become history keys', () => {
    torch.manualSeed(6);
    const { x, y } = regression(40);
    const model = new nn.Linear(2, 1);
    function meanOutput(output: torch.Tensor) { return output.mean(); }
    const t = new Trainer(model).compile({ optimizer: sgd(0), loss: 'mse', metrics: [meanOutput, { name: 'maxError', fn: (o, t) => o.sub(t).abs().max() }, 'mse'] });
    const r = t.evaluate(x, y, { batchSize: 40 });
    const out = t.predict(x);
    expect(Object.keys(r)).toEqual(['loss', 'meanOutput', 'maxError', 'mse']);
    expect(r.meanOutput).toBeCloseTo(out.mean().item(), 6);
    expect(r.maxError).toBeCloseTo(out.sub(y).abs().max().item(), 6);
    expect(r.mse).toBeCloseTo(r.loss, 6);
    expect(Object.keys(t.fit(x, y, { epochs: 1, verbose: 0 }).history)).toEqual(['loss', 'meanOutput', 'maxError', 'mse']);
  });

  it('bad input throws clear errors', () => {
    const t = new Trainer(new nn.Linear(2, 1));
    expect(() => t.fit(torch.ones(4, 2), torch.ones(4, 1))).toThrow('fit(): call compile({ optimizer, loss }) first');
    expect(() => t.compile({ optimizer: 'adam', loss: 'foo' as never })).toThrow(/^compile\(\): unknown loss 'foo'; expected one of 'mse'/);
    expect(() => t.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' as never })).toThrow("unknown loss 'categorical_crossentropy' (did you mean 'categoricalCrossentropy'?)");
    expect(() => t.compile({ optimizer: 'adamax' as never, loss: 'mse' })).toThrow("compile(): unknown optimizer 'adamax'");
    expect(() => t.compile({ optimizer: 'adam', loss: 'mse', metrics: ['f1' as never] })).toThrow("compile(): unknown metric 'f1'");
    expect(() => t.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae', 'mae'] })).toThrow("metric name 'mae' is taken");
    expect(() => t.compile({ optimizer: new optim.SGD(new nn.Linear(1, 1).parameters()), loss: 'mse' })).toThrow("the optimizer holds none of the model's parameters");
    expect(() => new Trainer({} as never)).toThrow('Trainer: expected an nn.Module, got Object');
    t.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(() => t.fit(torch.ones(10, 2), torch.ones(9, 1), { verbose: 0 }))
      .toThrow('fit(): x and y must have the same number of samples (first dimension), got x [10, 2], y [9, 1]');
    expect(() => t.evaluate(torch.ones(10, 2), torch.ones(9, 1))).toThrow('evaluate(): x and y must have the same number of samples');
    expect(() => t.fit([1, 2] as never, torch.ones(2, 1), { verbose: 0 })).toThrow('fit(): expected x to be a Tensor, an array of Tensors or an iterable of batches, got an array of 2');
    expect(() => t.fit(torch.ones(4, 2), torch.ones(4, 1), { validationSplit: 1.5, verbose: 0 })).toThrow('fit(): expected validationSplit in (0, 1), got 1.5');
    expect(() => t.fit(torch.ones(1, 2), torch.ones(1, 1), { validationSplit: 0.5, verbose: 0 })).toThrow('fit(): 1 samples are too few to split');
    expect(() => t.fit(torch.ones(4, 2), torch.ones(4, 1), { epochs: 0, verbose: 0 })).toThrow('expected epochs to be a positive integer, got 0');
    expect(() => t.fit(torch.ones(4, 2), torch.ones(4, 3), { verbose: 0 })).toThrow("loss 'mse': expected a target of the output's shape [4,1], got [4,3]");
    const c = new Trainer(classifier()).compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    expect(() => c.fit(torch.ones(4, 2), torch.ones(4), { verbose: 0 })).toThrow(/expected integer class indices for the target, got torch.float32 \(one-hot or probability targets go with 'categoricalCrossentropy'\)/);
    class Pair extends nn.Module {
      lstm = new nn.LSTM(1, 4, { batchFirst: true });
      override forward(x: torch.Tensor) { return this.lstm.forward(x); }
    }
    const p = new Trainer(new Pair()).compile({ optimizer: 'adam', loss: 'mse' });
    expect(() => p.fit(torch.ones(4, 3, 1), torch.ones(4, 1), { verbose: 0 })).toThrow(/the model's forward returned an array of 2, expected a Tensor \(an LSTM's forward/);
  });

  it('liveTensors does not grow across epochs (each step runs in torch.tidy)', () => {
    torch.manualSeed(7);
    const { x, y } = blobs(120);
    // Counted after a full GC: what the test made before (left to the GC) may be freed by any
    // collection, and GC pacing runs them at points that move as the code changes.
    const gc = exposedGc()!;
    const liveNow = () => { gc({ type: 'major' }); return torch.liveTensors(); };
    const live: number[] = [];
    const t = new Trainer(classifier()).compile({ optimizer: 'adam', loss: 'crossEntropy', metrics: ['accuracy'] });
    t.fit(x, y, { epochs: 6, batchSize: 16, validationSplit: 0.25, verbose: 0, callbacks: [new LambdaCallback({ onEpochEnd: () => { live.push(liveNow()); } })] });
    expect(new Set(live.slice(1)).size).toBe(1); // after the first epoch made Adam's state
    expect(live[5]).toBeLessThanOrEqual(live[0] + 2 * 4 + 4); // ... which is 2 tensors per parameter plus step counts
    const before = liveNow();
    t.evaluate(x, y, { batchSize: 10 });
    t.predict(x, { batchSize: 10 }).dispose();
    expect(liveNow()).toBe(before);
  });

  it('schedulers step per epoch and log lr; ReduceLROnPlateau watches valLoss', () => {
    torch.manualSeed(8);
    const { x, y } = regression(20);
    const t = new Trainer(new nn.Linear(2, 1)).compile({ optimizer: sgd(0.1), loss: 'mse' });
    const h = t.fit(x, y, { epochs: 5, verbose: 0, callbacks: [new optim.lrScheduler.StepLR(t.optimizer!, 2, { gamma: 0.1 })] });
    expect(h.history.lr.map((v) => Number(v.toPrecision(6)))).toEqual([0.1, 0.1, 0.01, 0.01, 0.001]);
    const frozen = new Trainer(new nn.Linear(2, 1)).compile({ optimizer: sgd(0), loss: 'mse' });
    const plateau = new optim.lrScheduler.ReduceLROnPlateau(frozen.optimizer!, { patience: 0, factor: 0.5 });
    frozen.optimizer!.paramGroups[0].lr = 0; // stays 0: halving 0 changes nothing, but the steps still happen
    const callback = new LearningRateScheduler(plateau);
    frozen.fit(x, y, { epochs: 3, validationSplit: 0.5, verbose: 0, callbacks: [callback] });
    expect(plateau.lastEpoch).toBe(3);
    // OneCycleLR steps per batch: 2 epochs of 4 batches use exactly its 8 steps.
    const cyc = new Trainer(new nn.Linear(2, 1)).compile({ optimizer: sgd(0.1), loss: 'mse' });
    const oneCycle = new optim.lrScheduler.OneCycleLR(cyc.optimizer!, 0.1, { totalSteps: 8 });
    const hc = cyc.fit(x, y, { epochs: 2, batchSize: 5, verbose: 0, callbacks: [oneCycle] });
    expect(hc.history.lr[0]).toBeCloseTo(0.1 / 25, 10);
    expect(oneCycle.lastEpoch).toBe(8);
  });

  it('takes a DataLoader of [x, y] batches, and several inputs as an array', () => {
    torch.manualSeed(9);
    const { x, y } = regression(64);
    const loader = new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(x, y), { batchSize: 16, shuffle: true });
    const t = new Trainer(new nn.Linear(2, 1)).compile({ optimizer: sgd(0.1), loss: 'mse' });
    const h = t.fit(loader, undefined, { epochs: 10, verbose: 0, validationData: loader });
    expect(h.params.steps).toBe(4);
    expect(h.history.valLoss[9]).toBeLessThan(1e-3);
    expect(t.evaluate(loader).loss).toBeCloseTo(t.evaluate(x, y).loss, 6);
    expect(() => t.fit(loader, y)).toThrow('fit(): x is an iterable of [...inputs, target] batches, so leave y out');

    class TwoInputs extends nn.Module {
      fc = new nn.Linear(2, 1);
      override forward(a: torch.Tensor, b: torch.Tensor) { return this.fc.forward(torch.cat([a, b], 1)); }
    }
    const two = new Trainer(new TwoInputs()).compile({ optimizer: sgd(0.1), loss: 'mse' });
    const parts = [x.narrow(1, 0, 1), x.narrow(1, 1, 1)];
    expect(two.fit(parts, y, { epochs: 20, batchSize: 8, verbose: 0 }).history.loss[19]).toBeLessThan(1e-4);
    expect(two.predict(parts).shape).toEqual([64, 1]);
  });

  it('bce takes logits (binary accuracy thresholds at 0), and LBFGS trains through the same step', () => {
    torch.manualSeed(10);
    const x = torch.randn(200, 2);
    const y = x.sum(1, { keepdim: true }).gt(0).float();
    const t = new Trainer(new nn.Linear(2, 1)).compile({ optimizer: (p) => new optim.Adam(p, { lr: 0.1 }), loss: 'bce', metrics: ['accuracy'] });
    const h = t.fit(x, y, { epochs: 20, verbose: 0 });
    expect(h.history.accuracy[19]).toBeGreaterThan(0.97);
    const logits = t.predict(x);
    expect(t.evaluate(x, y).loss).toBeCloseTo(nn.functional.binaryCrossEntropyWithLogits(logits, y).item(), 5);

    const { x: rx, y: ry } = regression(50);
    const l = new Trainer(new nn.Linear(2, 1)).compile({ optimizer: 'lbfgs', loss: 'mse' });
    expect(l.fit(rx, ry, { epochs: 3, batchSize: 50, verbose: 0 }).history.loss[2]).toBeLessThan(1e-8);
  });

  it('verbose prints one Keras-style line per epoch; ModelCheckpoint writes loadable state dicts', () => {
    torch.manualSeed(11);
    const { x, y } = blobs(60);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainer-'));
    const t = new Trainer(classifier()).compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      t.fit(x, y, { epochs: 2, verbose: 2, validationSplit: 0.5, callbacks: [new ModelCheckpoint(path.join(dir, 'ckpt-{epoch}-{valLoss:.3f}.pt'))] });
      const lines = log.mock.calls.map((c) => String(c[0]));
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatch(/^Epoch 2\/2 - \d+(ms|\.\ds) - loss: \d\.\d{4} - accuracy: \d\.\d{4} - valLoss: \d\.\d{4} - valAccuracy: \d\.\d{4}$/);
    } finally {
      log.mockRestore();
    }
    const files = fs.readdirSync(dir).sort();
    expect(files).toHaveLength(2);
    expect(files[1]).toMatch(/^ckpt-2-\d\.\d{3}\.pt$/);
    const saved = torch.load(path.join(dir, files[1])) as Record<string, torch.Tensor>;
    const state = t.model.stateDict();
    expect(Object.keys(saved)).toEqual(Object.keys(state));
    for (const k of Object.keys(state)) expect(torch.equal(saved[k], state[k])).toBe(true);
    fs.rmSync(dir, { recursive: true });
  });

  it('examples/keras.mjs --quick runs and prints its metrics', () => {
    // The example imports 'torch-node', i.e. dist/: `npm run build:ts` first (CI's `npm run example` does).
    const root = path.resolve(__dirname, '..');
    const built = path.join(root, 'dist', 'cjs', 'utils', 'trainer', 'index.js');
    if (!fs.existsSync(built)) throw new Error(`${built} is missing: run npm run build:ts before this test`);
    const out = execFileSync(process.execPath, ['examples/keras.mjs', '--quick'], {
      cwd: root, encoding: 'utf8', timeout: 240_000, env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    const cnn = /CNN test: loss (\d\.\d{4}) - accuracy (0\.\d{4})/.exec(out);
    const lstm = /LSTM test: loss (\d\.\d+)/.exec(out);
    expect(cnn, out).not.toBeNull();
    expect(lstm, out).not.toBeNull();
    expect(Number(cnn![2])).toBeGreaterThan(0.6); // 1 epoch on 1,800 digits
    expect(Number(lstm![1])).toBeLessThan(0.05);
    expect(out).toMatch(/^Epoch 1\/1 - .* - loss: \d\.\d{4} - accuracy: \d\.\d{4} - valLoss: \d\.\d{4} - valAccuracy: \d\.\d{4}$/m);
  }, 300_000);
});
