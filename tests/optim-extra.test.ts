// NAdam, RAdam, Adamax, Rprop, ASGD, Adafactor and the schedulers ConstantLR ... ChainedScheduler against
// PyTorch 2.11 (tests/fixtures/optim-extra.json, written by tests/fixtures/optim-extra.py).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

const { optim } = torch;
const S = optim.lrScheduler;
const golden = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'optim-extra.json'), 'utf8'));

type AnyOptimizer = torch.optim.Optimizer<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Params = torch.Tensor[];

/** Each golden case's optimizer, with torch-node's spelling of the Python kwargs. */
const OPTIMIZERS: Record<string, (p: Params) => AnyOptimizer> = {
  'NAdam default': (p) => new optim.NAdam(p),
  'NAdam options': (p) => new optim.NAdam(p, { lr: 0.01, betas: [0.8, 0.99], weightDecay: 0.1, momentumDecay: 0.01 }),
  'NAdam decoupled': (p) => new optim.NAdam(p, { lr: 0.02, weightDecay: 0.1, decoupledWeightDecay: true, maximize: true }),
  'RAdam default': (p) => new optim.RAdam(p),
  'RAdam options': (p) => new optim.RAdam(p, { lr: 0.05, betas: [0.5, 0.6], weightDecay: 0.1 }),
  'RAdam decoupled': (p) => new optim.RAdam(p, { lr: 0.05, betas: [0.5, 0.6], weightDecay: 0.1, decoupledWeightDecay: true }),
  'Adamax default': (p) => new optim.Adamax(p),
  'Adamax options': (p) => new optim.Adamax(p, { lr: 0.05, betas: [0.7, 0.9], eps: 1e-3, weightDecay: 0.1, maximize: true }),
  'Rprop default': (p) => new optim.Rprop(p),
  'Rprop options': (p) => new optim.Rprop(p, { lr: 0.3, etas: [0.3, 1.5], stepSizes: [0.01, 0.5] }),
  'ASGD default': (p) => new optim.ASGD(p),
  'ASGD options': (p) => new optim.ASGD(p, { lr: 0.1, lambd: 0.01, alpha: 0.5, t0: 2, weightDecay: 0.1 }),
  'Adafactor default': (p) => new optim.Adafactor(p),
  'Adafactor options': (p) => new optim.Adafactor(p, { lr: 0.05, beta2Decay: -0.5, eps: [1e-6, 1e-2], d: 1.5, weightDecay: 0.1, maximize: true }),
};

/** Equal to 1e-6 relative (1e-9 absolute near zero), element by element. */
function expectClose(actual: number[], expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i];
    if (Math.abs(a - e) > 1e-6 * Math.abs(e) + 1e-9) expect.fail(`${what}[${i}]: ${a} is not ${e}`);
  });
}

describe('optimizers against PyTorch 2.11 (float32, least squares, 6 steps)', () => {
  const { x: X, y: Y, w0: W0, b0: B0 } = golden.problem;
  for (const [name, make] of Object.entries(OPTIMIZERS)) {
    it(name, () => {
      const x = torch.tensor(X);
      const y = torch.tensor(Y);
      const w = torch.tensor(W0, { requiresGrad: true });
      const b = torch.tensor(B0, { requiresGrad: true });
      const opt = make([w, b]);
      const { trajectory, stateKeys } = golden.optimizers[name];
      trajectory.forEach((expected: { w: number[][]; b: number[] }, step: number) => {
        opt.zeroGrad();
        x.matmul(w).add(b).sub(y).pow(2).mean().backward();
        opt.step();
        expectClose((w.tolist() as number[][]).flat(), expected.w.flat(), `${name} step ${step + 1} w`);
        expectClose(b.tolist() as number[], expected.b, `${name} step ${step + 1} b`);
        if (step === 0) expect(Object.keys(opt.stateDict({ format: 'pytorch' }).state['0']).sort()).toEqual(stateKeys);
      });
    });
  }

  it('a state dict round trip continues the same trajectory (ASGD, NAdam: scalar tensors in state)', () => {
    for (const name of ['ASGD options', 'NAdam options', 'Rprop options', 'Adafactor options']) {
      const run = (reload: boolean) => {
        const x = torch.tensor(X);
        const y = torch.tensor(Y);
        const w = torch.tensor(W0, { requiresGrad: true });
        const b = torch.tensor(B0, { requiresGrad: true });
        let opt = OPTIMIZERS[name]([w, b]);
        for (let i = 0; i < 4; i++) {
          if (reload && i === 2) {
            const saved = opt.stateDict({ format: 'pytorch' });
            opt = OPTIMIZERS[name]([w, b]);
            opt.loadStateDict(saved as never);
          }
          opt.zeroGrad();
          x.matmul(w).add(b).sub(y).pow(2).mean().backward();
          opt.step();
        }
        return w.tolist();
      };
      expect(run(true), name).toEqual(run(false));
    }
  });

  it('checks hyperparameters with PyTorch messages', () => {
    const p = () => [torch.zeros(2, { requiresGrad: true })];
    expect(() => new optim.NAdam(p(), { lr: -1 })).toThrow('Invalid learning rate: -1');
    expect(() => new optim.NAdam(p(), { momentumDecay: -1 })).toThrow('Invalid momentum_decay value: -1');
    expect(() => new optim.RAdam(p(), { betas: [0.9, 1] })).toThrow('Invalid beta parameter at index 1: 1');
    expect(() => new optim.Adamax(p(), { eps: -1 })).toThrow('Invalid epsilon value: -1');
    expect(() => new optim.Adamax(p(), { weightDecay: -1 })).toThrow('Invalid weight_decay value: -1');
    expect(() => new optim.Rprop(p(), { etas: [1.5, 1.2] })).toThrow('Invalid eta values: 1.5, 1.2');
    expect(() => new optim.ASGD(p(), { weightDecay: -0.5 })).toThrow('Invalid weight_decay value: -0.5');
    expect(() => new optim.Adafactor(p(), { lr: -1 })).toThrow('Learning rate should be >= 0 but is: -1');
    expect(() => new optim.Adafactor(p(), { beta2Decay: 0.5 })).toThrow('beta2_decay should be <= 0 but is: 0.5');
    expect(() => new optim.Adafactor(p(), { eps: [-1, 1e-3] })).toThrow('epsilon1 should be >= 0 but is: -1');
    expect(() => new optim.Adafactor(p(), { d: 0.5 })).toThrow('Clipping threshold d should be >= 1 but is: 0.5');
    expect(() => new optim.ASGD(p(), { weight_decay: 1 } as never)).toThrow("ASGD: unknown option 'weight_decay' (did you mean 'weightDecay'?)");
  });

  it('keeps PyTorch defaults', () => {
    const p = () => [torch.zeros(2, { requiresGrad: true })];
    expect(new optim.NAdam(p()).defaults).toEqual({ lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, decoupledWeightDecay: false, maximize: false });
    expect(new optim.Rprop(p()).defaults).toEqual({ lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false });
    expect(new optim.ASGD(p()).defaults).toEqual({ lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false });
  });
});

const sgd = (groups = 1) => {
  const ps = Array.from({ length: groups }, () => torch.zeros(1, { requiresGrad: true }));
  return new optim.SGD(ps.map((p, i) => ({ params: [p], lr: 0.1 * (i + 1) })), { lr: 0.1, momentum: 0.9 });
};

const SCHEDULERS: Record<string, (o: AnyOptimizer) => torch.optim.lrScheduler.LRScheduler> = {
  'ConstantLR default': (o) => new S.ConstantLR(o),
  'ConstantLR options': (o) => new S.ConstantLR(o, { factor: 0.5, totalIters: 4 }),
  'LinearLR default': (o) => new S.LinearLR(o),
  'LinearLR options': (o) => new S.LinearLR(o, { startFactor: 0.5, endFactor: 0.1, totalIters: 4 }),
  MultiplicativeLR: (o) => new S.MultiplicativeLR(o, { lrLambda: (e) => (e % 2 ? 0.9 : 0.5) }),
  'PolynomialLR default': (o) => new S.PolynomialLR(o),
  'PolynomialLR options': (o) => new S.PolynomialLR(o, { totalIters: 8, power: 2.0 }),
  CosineAnnealingWarmRestarts: (o) => new S.CosineAnnealingWarmRestarts(o, { t0: 3 }),
  'CosineAnnealingWarmRestarts options': (o) => new S.CosineAnnealingWarmRestarts(o, 2, { tMult: 2, etaMin: 0.01 }),
  'CyclicLR triangular': (o) => new S.CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 3 }),
  'CyclicLR triangular2': (o) => new S.CyclicLR(o, 0.01, 0.1, { stepSizeUp: 2, stepSizeDown: 3, mode: 'triangular2' }),
  'CyclicLR exp_range': (o) => new S.CyclicLR(o, [0.01, 0.02], 0.1, { stepSizeUp: 2, mode: 'exp_range', gamma: 0.9 }),
  SequentialLR: (o) => new S.SequentialLR(o, [new S.ConstantLR(o, { factor: 0.1, totalIters: 2 }), new S.ExponentialLR(o, 0.9)], [3]),
  'SequentialLR three': (o) => new S.SequentialLR(o, {
    schedulers: [new S.LinearLR(o, { startFactor: 0.25, totalIters: 3 }), new S.StepLR(o, 2, { gamma: 0.5 }), new S.CosineAnnealingLR(o, 4)],
    milestones: [4, 8],
  }),
  ChainedScheduler: (o) => new S.ChainedScheduler([new S.ConstantLR(o, { factor: 0.1, totalIters: 2 }), new S.ExponentialLR(o, 0.9)]),
  'ChainedScheduler linear+step': (o) => new S.ChainedScheduler([new S.LinearLR(o, { startFactor: 0.5, totalIters: 4 }), new S.StepLR(o, 3, { gamma: 0.5 })], o),
};

describe('schedulers against PyTorch 2.11 (getLastLr over 12 steps)', () => {
  for (const [name, make] of Object.entries(SCHEDULERS)) {
    it(name, () => {
      const opt = sgd(name.includes('exp_range') ? 2 : 1);
      const sched = make(opt);
      const lrs = [sched.getLastLr()];
      const momentum = [opt.paramGroups.map((g) => g.momentum)];
      for (let i = 0; i < 12; i++) {
        opt.step();
        sched.step();
        lrs.push(sched.getLastLr());
        momentum.push(opt.paramGroups.map((g) => g.momentum));
      }
      const expected = golden.schedulers[name];
      expectClose(lrs.flat(), expected.lrs.flat(), `${name} lr`);
      expectClose(momentum.flat(), expected.momentum.flat(), `${name} momentum`);
      expect(opt.paramGroups.map((g) => g.lr)).toEqual(sched.getLastLr());
    });
  }

  it('step(epoch) uses the closed forms (and the warm restarts own rule)', () => {
    const makers: Record<string, (o: AnyOptimizer) => torch.optim.lrScheduler.LRScheduler> = {
      ConstantLR: (o) => new S.ConstantLR(o, { factor: 0.5, totalIters: 4 }),
      LinearLR: (o) => new S.LinearLR(o, { startFactor: 0.5, totalIters: 4 }),
      PolynomialLR: (o) => new S.PolynomialLR(o, { totalIters: 6, power: 3.0 }),
      CosineAnnealingWarmRestarts: (o) => new S.CosineAnnealingWarmRestarts(o, 2, { tMult: 3 }),
    };
    for (const [name, make] of Object.entries(makers)) {
      const sched = make(sgd());
      const { epochs, lrs } = golden.closedForms[name];
      const got = (epochs as number[]).map((e) => { sched.step(e); return sched.getLastLr()[0]; });
      expectClose(got, lrs, name);
    }
  });

  it('SequentialLR and ChainedScheduler save their schedulers states', () => {
    const opt = sgd();
    const make = () => new S.SequentialLR(opt, [new S.ConstantLR(opt, { factor: 0.1, totalIters: 2 }), new S.ExponentialLR(opt, 0.9)], [3]);
    const a = make();
    for (let i = 0; i < 5; i++) a.step();
    const saved = a.stateDict();
    expect((saved._schedulers as unknown[]).length).toBe(2);
    const b = make();
    b.loadStateDict(saved);
    expect(b.lastEpoch).toBe(5);
    expect((b.stateDict()._schedulers as { lastEpoch: number }[]).map((s) => s.lastEpoch)).toEqual([2, 2]);
  });

  it('refuses bad arguments with PyTorch messages', () => {
    const opt = sgd();
    expect(() => new S.ConstantLR(opt, { factor: 2 })).toThrow('Constant multiplicative factor expected to be between 0 and 1.');
    expect(() => new S.LinearLR(opt, { startFactor: 0 })).toThrow('Starting multiplicative factor expected to be greater than 0 and less or equal to 1.');
    expect(() => new S.LinearLR(opt, { endFactor: 2 })).toThrow('Ending multiplicative factor expected to be between 0 and 1.');
    expect(() => new S.CosineAnnealingWarmRestarts(opt, 0)).toThrow('Expected positive integer T_0, but got 0');
    expect(() => new S.CosineAnnealingWarmRestarts(opt, 2, { tMult: 1.5 })).toThrow('Expected integer T_mult >= 1, but got 1.5');
    expect(() => new S.CyclicLR(new optim.Adagrad([torch.zeros(1, { requiresGrad: true })]), 0.01, 0.1))
      .toThrow('optimizer must support momentum or beta1 with `cycle_momentum` option enabled');
    expect(() => new S.SequentialLR(opt, [], [])).toThrow('SequentialLR expects at least one scheduler, but got no scheduler.');
    expect(() => new S.SequentialLR(opt, [new S.ConstantLR(opt)], [1])).toThrow('Sequential Schedulers expects number of schedulers provided to be one more');
    expect(() => new S.ChainedScheduler([new S.ReduceLROnPlateau(opt) as never])).toThrow('ChainedScheduler does not support `ReduceLROnPlateau` scheduler');
    expect(() => new S.ChainedScheduler([new S.ConstantLR(opt), new S.ConstantLR(sgd())])).toThrow('ChainedScheduler expects all schedulers to belong to the same optimizer');
  });
});
