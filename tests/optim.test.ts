import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

const { optim } = torch;
// Written by tests/fixtures/optim-golden.py with PyTorch 2.11.
const golden = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'optim-golden.json'), 'utf8'));

const f64 = { dtype: torch.float64 };
const X = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75], [-0.3, 0.8, 0.1], [1.0, 1.0, -1.0]], f64);
const Y = torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [1.0, -1.0]], f64);

function run(make: (params: torch.Tensor[]) => InstanceType<typeof optim.Optimizer>, steps = 5): number[][] {
  const w = torch.tensor([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], { ...f64, requiresGrad: true });
  const b = torch.tensor([0.05, -0.05], { ...f64, requiresGrad: true });
  const opt = make([w, b]);
  const history: number[][] = [];
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    const loss = X.matmul(w).add(b).sub(Y).pow(2).mean().add(w.abs().sum().mul(0.01));
    loss.backward();
    opt.step();
    history.push([...(w.detach().flatten().tolist() as number[]), ...(b.detach().tolist() as number[])]);
  }
  return history;
}

const configs: Record<string, (p: torch.Tensor[]) => InstanceType<typeof optim.Optimizer>> = {
  sgd: (p) => new optim.SGD(p, { lr: 0.1 }),
  sgd_momentum_wd: (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 }),
  sgd_nesterov_max: (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.8, nesterov: true, maximize: true }),
  adam: (p) => new optim.Adam(p, { lr: 0.01 }),
  adam_amsgrad_wd: (p) => new optim.Adam(p, { lr: 0.02, betas: [0.8, 0.9], weightDecay: 0.1, amsgrad: true }),
  adamw: (p) => new optim.AdamW(p, { lr: 0.01 }),
  rmsprop: (p) => new optim.RMSprop(p, { lr: 0.01 }),
  rmsprop_centered_momentum: (p) => new optim.RMSprop(p, { lr: 0.01, momentum: 0.5, centered: true, weightDecay: 0.01 }),
  adagrad: (p) => new optim.Adagrad(p, { lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1 }),
  adadelta: (p) => new optim.Adadelta(p, { lr: 1.0, rho: 0.8, weightDecay: 0.01 }),
};

describe('optimizers follow PyTorch step for step', () => {
  for (const [name, make] of Object.entries(configs)) {
    it(name, () => {
      const history = run(make);
      history.forEach((row, step) => row.forEach((v, i) => expect(v).toBeCloseTo(golden.optimizers[name][step][i], 12)));
    });
  }

  it('stateDict/loadStateDict resume exactly', () => {
    const straight = run((p) => new optim.Adam(p, { lr: 0.02, amsgrad: true }), 5);
    const w = torch.tensor([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], { ...f64, requiresGrad: true });
    const b = torch.tensor([0.05, -0.05], { ...f64, requiresGrad: true });
    const stepOnce = (opt: InstanceType<typeof optim.Optimizer>) => {
      opt.zeroGrad();
      X.matmul(w).add(b).sub(Y).pow(2).mean().add(w.abs().sum().mul(0.01)).backward();
      opt.step();
    };
    const first = new optim.Adam([w, b], { lr: 0.02, amsgrad: true });
    for (let i = 0; i < 3; i++) stepOnce(first);
    const saved = first.stateDict();
    const second = new optim.Adam([w, b], { lr: 0.5 });
    second.loadStateDict(saved);
    expect(second.paramGroups[0].lr).toBe(0.02);
    for (let i = 0; i < 2; i++) stepOnce(second);
    [...(w.detach().flatten().tolist() as number[]), ...(b.tolist() as number[])].forEach((v, i) => expect(v).toBeCloseTo(straight[4][i], 12));
  });

  it('parameter groups with their own options, writable lr, zeroGrad modes', () => {
    const a = torch.ones(2, { requiresGrad: true });
    const c = torch.ones(2, { requiresGrad: true });
    const opt = new optim.SGD([{ params: [a] }, { params: [c], lr: 1 }], { lr: 0.1 });
    a.sum().add(c.sum()).backward();
    opt.step();
    expect(a.tolist()).toEqual([0.9, 0.9].map((v) => Math.fround(v)));
    expect(c.tolist()).toEqual([0, 0]);
    opt.paramGroups[1].lr = 0.5;
    opt.step();
    expect(c.tolist()).toEqual([-0.5, -0.5]);
    opt.zeroGrad({ setToNone: false });
    expect(a.grad!.tolist()).toEqual([0, 0]);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
    expect(() => new optim.SGD([])).toThrow('optimizer got an empty parameter list');
    expect(() => new optim.SGD([a], { lr: 0.1, nesterov: true })).toThrow('Nesterov momentum requires a momentum and zero dampening');
  });
});

describe('learning-rate schedulers follow PyTorch', () => {
  const lrs = (make: (o: InstanceType<typeof optim.SGD>) => { step(m?: number): void }, metrics?: number[]) => {
    const opt = new optim.SGD([torch.zeros(1, { requiresGrad: true })], { lr: 0.1 });
    const sched = make(opt);
    return Array.from({ length: 15 }, (_, e) => {
      opt.step();
      sched.step(metrics?.[e]);
      return opt.paramGroups[0].lr;
    });
  };
  const S = optim.lrScheduler;
  const cases: Record<string, number[]> = {
    step: lrs((o) => new S.StepLR(o, 4, { gamma: 0.5 })),
    multistep: lrs((o) => new S.MultiStepLR(o, [3, 7, 7, 11], { gamma: 0.3 })),
    exponential: lrs((o) => new S.ExponentialLR(o, 0.9)),
    cosine: lrs((o) => new S.CosineAnnealingLR(o, 5, { etaMin: 0.01 })),
    lambda: lrs((o) => new S.LambdaLR(o, (e) => 1 / (1 + e))),
    plateau: lrs((o) => {
      const p = new S.ReduceLROnPlateau(o, { patience: 2, factor: 0.5, cooldown: 1 });
      return { step: (m?: number) => p.step(m!) };
    }, [1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.8, 0.81, 0.82, 0.83, 0.84, 0.85, 0.7, 0.71, 0.72]),
  };
  for (const [name, seq] of Object.entries(cases)) {
    it(name, () => seq.forEach((lr, i) => expect(lr).toBeCloseTo(golden.schedulers[name][i], 12)));
  }
});

describe('OneCycleLR, a training loss curve, orthogonal_ (values from PyTorch 2.11)', () => {
  it('OneCycleLR cycles the learning rate and the momentum', () => {
    const opt = new optim.SGD([torch.zeros(1, { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
    const sched = new optim.lrScheduler.OneCycleLR(opt, 1.0, { totalSteps: 10 });
    const seq: number[][] = [];
    for (let i = 0; i < 10; i++) {
      seq.push([opt.paramGroups[0].lr, opt.paramGroups[0].momentum]);
      opt.step();
      if (seq.length < 10) sched.step();
    }
    seq.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(golden.onecycle[i][j], 12)));
    expect(() => new optim.lrScheduler.OneCycleLR(new optim.Adagrad([torch.zeros(1, { requiresGrad: true })]), 1, { totalSteps: 5 }))
      .toThrow('optimizer must support momentum or beta1 with `cycle_momentum` option enabled');
  });

  it('a small classifier trained with Adam has PyTorch\'s loss curve, step by step', () => {
    torch.manualSeed(21);
    const { nn } = torch;
    const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
    const xs = torch.arange(32 * 4).float().reshape(32, 4).sin();
    const ys = torch.arange(32).remainder(3);
    const opt = new optim.Adam(model.parameters(), { lr: 0.05 });
    const curve: number[] = [];
    for (let i = 0; i < 20; i++) {
      opt.zeroGrad();
      const loss = nn.functional.crossEntropy(model.forward(xs), ys);
      loss.backward();
      opt.step();
      curve.push(loss.item());
    }
    curve.forEach((v, i) => expect(v).toBeCloseTo(golden.loss_curve[i], 5));
  });

  it('nn.init.orthogonal_', () => {
    torch.manualSeed(22);
    const w = torch.empty(3, 5);
    torch.nn.init.orthogonal_(w, 2.0);
    (w.tolist() as number[][]).flat().forEach((v, i) => expect(v).toBeCloseTo((golden.orthogonal as number[][]).flat()[i], 5));
  });
});

describe('LBFGS', () => {
  it('follows PyTorch over several closure steps (history shorter than the iterations)', () => {
    const w = torch.tensor([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], { ...f64, requiresGrad: true });
    const b = torch.tensor([0.05, -0.05], { ...f64, requiresGrad: true });
    const opt = new optim.LBFGS([w, b], { lr: 0.5, maxIter: 7, historySize: 3 });
    const closure = () => {
      opt.zeroGrad();
      const loss = X.matmul(w).add(b).sub(Y).pow(2).mean().add(w.pow(2).sum().mul(0.01));
      loss.backward();
      return loss;
    };
    for (let i = 0; i < 3; i++) {
      const loss = opt.step(closure) as torch.Tensor;
      const row = [loss.item(), ...(w.detach().flatten().tolist() as number[]), ...(b.detach().tolist() as number[])];
      row.forEach((v, j) => expect(v).toBeCloseTo(golden.lbfgs[i][j], 10));
    }
    expect(() => opt.step()).toThrow('LBFGS requires a closure');
  });
});
