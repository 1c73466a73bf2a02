// torch.optim and torch.optim.lrScheduler against PyTorch's own numbers
// (tests/fixtures/optim-golden.json, written by tests/fixtures/optim-golden.py with PyTorch 2.11).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';
import * as optim from '../lib/optim/index';

const golden = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'optim-golden.json'), 'utf8'));
const S = optim.lrScheduler;

type AnyOptimizer = optim.Optimizer<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Case = { optimizer: string; options: Record<string, unknown>; dtype: 'float64' | 'float32'; complex: boolean; history: number[][] };

const X = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75], [-0.3, 0.8, 0.1], [1.0, 1.0, -1.0]];
const Y = [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [1.0, -1.0]];
const W0 = [[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]];
const B0 = [0.05, -0.05];
const Z0 = [[0.3, -0.2], [-0.1, 0.4]];
const C = [[1.0, 0.5], [-0.5, 2.0]];
const T = [[0.2, 0.1], [1.0, -1.0]];

/** The problem of optim-golden.py: w (3x2), b (2); loss = mean((x @ w + b - y)^2) + 0.01 * sum|w|. */
function problem(dtype: torch.DType = torch.float64) {
  const x = torch.tensor(X, { dtype });
  const y = torch.tensor(Y, { dtype });
  const w = torch.tensor(W0, { dtype, requiresGrad: true });
  const b = torch.tensor(B0, { dtype, requiresGrad: true });
  const loss = () => x.matmul(w).add(b).sub(y).pow(2).mean().add(w.abs().sum().mul(0.01));
  return { params: [w, b], w, b, loss };
}

/** One complex parameter z (2); loss = sum |z * c - t|^2 + 0.01 * sum |z|. */
function complexProblem() {
  const complex = (pairs: number[][]) => torch.viewAsComplex(torch.tensor(pairs, { dtype: torch.float64 }));
  const z = complex(Z0).clone().requiresGrad_(true);
  const c = complex(C);
  const t = complex(T);
  const loss = () => z.mul(c).sub(t).abs().pow(2).sum().add(z.abs().sum().mul(0.01));
  return { params: [z], loss };
}

function flat(params: torch.Tensor[]): number[] {
  return params.flatMap((p) => {
    const d = p.detach();
    return (d.isComplex() ? torch.viewAsReal(d) : d).flatten().tolist() as number[];
  });
}

function make(name: string, params: torch.Tensor[], options: Record<string, unknown>): AnyOptimizer {
  const Class = (optim as unknown as Record<string, new (p: torch.Tensor[], o: object) => AnyOptimizer>)[name];
  return new Class(params, options);
}

function setup(c: Case) {
  return c.complex ? complexProblem() : problem(c.dtype === 'float32' ? torch.float32 : torch.float64);
}

function trainStep(opt: AnyOptimizer, loss: () => torch.Tensor): void {
  opt.zeroGrad();
  loss().backward();
  opt.step();
}

/** |a - e| <= atol + rtol * |e| for every element. */
function expectClose(actual: number[], expected: number[], atol: number, rtol = atol): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i];
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`element ${i}: ${a} differs from PyTorch's ${e} by ${Math.abs(a - e)}\nactual   ${actual}\nexpected ${expected}`);
    }
  });
}

const tolerance = (c: { dtype: string }) => (c.dtype === 'float32' ? 1e-6 : 1e-12);

/** A tensor from optim-golden.py's JSON encoding ({tensor, dtype, shape}), recursively. */
function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value !== null && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('tensor' in v && 'dtype' in v) {
      const dtype = (torch as unknown as Record<string, torch.DType>)[v.dtype as string];
      return torch.tensor(v.tensor as number[], { dtype }).reshape(v.shape as number[]);
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === 'inf' ? Infinity : x === '-inf' ? -Infinity : decode(x)]));
  }
  return value;
}

describe('optimizers follow PyTorch step for step (5 steps each)', () => {
  for (const [name, c] of Object.entries(golden.optimizers as Record<string, Case>)) {
    it(`${name} (${c.optimizer}, ${c.complex ? 'complex128' : c.dtype})`, () => {
      const { params, loss } = setup(c);
      const opt = make(c.optimizer, params, c.options);
      c.history.forEach((expected) => {
        trainStep(opt, loss);
        expectClose(flat(params), expected, tolerance(c));
      });
    });
  }

  it('keeps the names PyTorch gives options and state (camelCased)', () => {
    for (const [className, names] of Object.entries(golden.state_names as Record<string, { group: string[]; state: string[] }>)) {
      const group = new Set<string>();
      const state = new Set<string>();
      for (const c of Object.values(golden.optimizers as Record<string, Case>)) {
        if (c.optimizer !== className || c.dtype !== 'float64' || c.complex) continue;
        const { params, loss } = problem();
        const opt = make(className, params, c.options);
        trainStep(opt, loss);
        const sd = opt.stateDict();
        Object.keys(sd.paramGroups[0]).forEach((k) => group.add(k));
        Object.keys(sd.state[0] ?? {}).forEach((k) => state.add(k));
      }
      expect([className, [...group].sort()]).toEqual([className, names.group]);
      expect([className, [...state].sort()]).toEqual([className, names.state]);
    }
  });
});

describe('step, parameter groups, zeroGrad', () => {
  it('step(closure) evaluates the closure with autograd on and returns its loss', () => {
    const { params, loss } = problem();
    const opt = new optim.SGD(params, { lr: 0.1, momentum: 0.9 });
    const closure = () => {
      opt.zeroGrad();
      const l = loss();
      l.backward();
      return l;
    };
    for (const expected of golden.closure as number[][]) {
      const l = torch.noGrad(() => opt.step(closure))!;
      expectClose([l.item() as number, ...flat(params)], expected, 1e-12);
    }
    expect(opt.step()).toBeUndefined();
  });

  it('groups keep their own options, and writing paramGroups[i].lr mid-training takes effect (SGD)', () => {
    const { params, w, b, loss } = problem();
    const opt = new optim.SGD([{ params: [w], lr: 0.1, momentum: 0.9 }, { params: [b] }], { lr: 0.01 });
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum])).toEqual([[0.1, 0.9], [0.01, 0]]);
    (golden.param_groups_sgd as number[][]).forEach((expected, i) => {
      if (i === 2) {
        opt.paramGroups[0].lr = 0.05;
        opt.paramGroups[1].momentum = 0.5;
      }
      trainStep(opt, loss);
      expectClose(flat(params), expected, 1e-12);
    });
  });

  it('groups with their own lr and betas, changed mid-training (Adam); stateDict lists them like PyTorch', () => {
    const { params, w, b, loss } = problem();
    const opt = new optim.Adam([{ params: [w] }, { params: [b], lr: 0.05, betas: [0.5, 0.6] }], { lr: 0.01, weightDecay: 0.1 });
    (golden.param_groups_adam as number[][]).forEach((expected, i) => {
      if (i === 3) {
        opt.paramGroups[0].lr = 0.2;
        opt.paramGroups[1].weightDecay = 0;
      }
      trainStep(opt, loss);
      expectClose(flat(params), expected, 1e-12);
    });
    const sd = opt.stateDict();
    expect(sd.paramGroups).toEqual(golden.param_groups_state_dict_groups);
    expect(Object.keys(sd.state)).toEqual(['0', '1']);
  });

  it('addParamGroup mid-training', () => {
    const { params, w, b, loss } = problem();
    const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
    (golden.add_param_group as number[][]).forEach((expected, i) => {
      if (i === 2) opt.addParamGroup({ params: [b], lr: 0.5 });
      trainStep(opt, loss);
      expectClose(flat(params), expected, 1e-12);
    });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.5, momentum: 0.9, dampening: 0, nesterov: false });
    expect(() => opt.addParamGroup({ params: [b] })).toThrow('some parameters appear in more than one parameter group');
  });

  it('zeroGrad({ setToNone: false }) leaves zero gradients that still step; zeroGrad() leaves null, which skips', () => {
    const { params, w, b, loss } = problem();
    const opt = new optim.Adam(params, { lr: 0.1 });
    const [afterTwo, afterZeros, afterNone] = golden.zero_grad as number[][];
    trainStep(opt, loss);
    trainStep(opt, loss);
    expectClose(flat(params), afterTwo, 1e-12);
    opt.zeroGrad({ setToNone: false });
    expect(w.grad!.tolist()).toEqual([[0, 0], [0, 0], [0, 0]]);
    expect(b.grad!.tolist()).toEqual([0, 0]);
    expect(w.grad!.requiresGrad).toBe(false);
    opt.step();
    expectClose(flat(params), afterZeros, 1e-12);
    expect(opt.state.get(w)!.step).toBe(3);
    opt.zeroGrad();
    expect(w.grad).toBeNull();
    expect(b.grad).toBeNull();
    opt.step();
    expectClose(flat(params), afterNone, 1e-12);
    expect(opt.state.get(w)!.step).toBe(3);
  });

  it('skips parameters without a gradient (no state for them), as PyTorch does', () => {
    const { w, b, loss } = problem();
    const unused = torch.zeros(3, { requiresGrad: true });
    const opt = new optim.Adam([w, unused, b], { lr: 0.01 });
    trainStep(opt, loss);
    expect(opt.state.has(unused)).toBe(false);
    expect(unused.tolist()).toEqual([0, 0, 0]);
    expect(Object.keys(opt.stateDict().state)).toEqual(['0', '2']);
    expectClose(flat([w, b]), golden.optimizers.adam.history[0], 1e-12);
  });

  it('takes [name, parameter] pairs (module.namedParameters()) and records the names', () => {
    torch.manualSeed(0);
    const model = new torch.nn.Linear(3, 2);
    const opt = new optim.SGD(model.namedParameters(), { lr: 0.1 });
    expect(opt.paramGroups[0].paramNames).toEqual(['weight', 'bias']);
    expect(opt.paramGroups[0].params).toEqual([model.weight, model.bias]);
    expect(opt.stateDict().paramGroups[0]).toMatchObject({ params: [0, 1], paramNames: ['weight', 'bias'] });
  });

  it('a step inside torch.tidy keeps the state and frees the temporaries', () => {
    const c = golden.optimizers.adam_amsgrad_wd as Case;
    const { params, loss } = problem();
    const opt = make('Adam', params, c.options);
    const live: number[] = [];
    c.history.forEach((expected) => {
      torch.tidy(() => trainStep(opt, loss));
      live.push(torch.liveTensors());
      torch.tidy(() => expectClose(flat(params), expected, 1e-12));
    });
    const state = opt.state.get(params[0])!;
    expect((state.expAvg as torch.Tensor).isDisposed).toBe(false);
    expect((state.maxExpAvgSq as torch.Tensor).isDisposed).toBe(false);
    // After the first step (which makes the state), no step leaves tensors behind.
    expect(new Set(live.slice(1)).size).toBe(1);
  });

  it('refuses what PyTorch refuses, with its messages', () => {
    const p = torch.zeros(2, { requiresGrad: true });
    expect(() => new optim.SGD([])).toThrow('optimizer got an empty parameter list');
    expect(() => new optim.SGD(p as unknown as torch.Tensor[])).toThrow(TypeError);
    expect(() => new optim.SGD([p, 3 as unknown as torch.Tensor])).toThrow('optimizer can only optimize Tensors, but one of the params is number');
    expect(() => new optim.SGD([p.mul(2)])).toThrow("can't optimize a non-leaf Tensor");
    const retained = p.mul(2);
    retained.retainGrad();
    expect(() => new optim.SGD([retained])).not.toThrow();
    expect(() => new optim.SGD([{ params: [p] }, { params: [p] }])).toThrow('some parameters appear in more than one parameter group');
    expect(() => new optim.SGD([p], { lr: -1 })).toThrow('Invalid learning rate: -1');
    expect(() => new optim.SGD([p], { momentum: -0.5 })).toThrow('Invalid momentum value: -0.5');
    expect(() => new optim.SGD([p], { lr: 0.1, nesterov: true })).toThrow('Nesterov momentum requires a momentum and zero dampening');
    expect(() => new optim.SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true })).toThrow('Nesterov momentum requires');
    expect(() => new optim.SGD([p], { weight_decay: 0.1 } as object)).toThrow("SGD: unknown option 'weight_decay' (did you mean 'weightDecay'?)");
    expect(() => new optim.SGD([{ params: [p], weight_decay: 0.1 }])).toThrow("param group option 'weight_decay' is spelled 'weightDecay' in torch-node");
    expect(new optim.SGD([{ params: [p], tag: 'head' }]).paramGroups[0].tag).toBe('head');
    expect(() => new optim.Adam([p], { betas: [0.9, 1.0] })).toThrow('Invalid beta parameter at index 1: 1');
    expect(() => new optim.Adam([p], { eps: -1 })).toThrow('Invalid epsilon value: -1');
    expect(() => new optim.AdamW([p], { decoupledWeightDecay: false } as object)).toThrow(TypeError);
    expect(() => new optim.RMSprop([p], { alpha: -1 })).toThrow('Invalid alpha value: -1');
    expect(() => new optim.Adagrad([p], { lrDecay: -1 })).toThrow('Invalid lr_decay value: -1');
    expect(() => new optim.Adagrad([p], { initialAccumulatorValue: -1 })).toThrow('Invalid initial_accumulator_value value: -1');
    expect(() => new optim.Adadelta([p], { rho: 1.5 })).toThrow('Invalid rho value: 1.5');
  });

  it('defaults are PyTorch\'s', () => {
    const p = torch.zeros(1, { requiresGrad: true });
    expect(new optim.SGD([p]).defaults).toEqual({ lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
    expect(new optim.Adam([p]).defaults).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupledWeightDecay: false });
    expect(new optim.AdamW([p]).defaults).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false, decoupledWeightDecay: true });
    expect(new optim.RMSprop([p]).defaults).toEqual({ lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false });
    expect(new optim.Adagrad([p]).defaults).toEqual({ lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false });
    expect(new optim.Adadelta([p]).defaults).toEqual({ lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false });
    // Adagrad has state from the start, as in PyTorch.
    const adagrad = new optim.Adagrad([p], { initialAccumulatorValue: 0.5 });
    expect((adagrad.state.get(p)!.sum as torch.Tensor).tolist()).toEqual([0.5]);
  });
});

describe('stateDict / loadStateDict', () => {
  const resumable = ['sgd_momentum_dampening_wd', 'adam_amsgrad_wd', 'adamw_amsgrad_wd', 'rmsprop_centered_momentum_wd',
    'adagrad_decay_init_wd', 'adadelta', 'adam_amsgrad_wd_float32', 'adam_amsgrad_wd_complex', 'rmsprop_centered_momentum_wd_complex'];
  for (const [i, name] of resumable.entries()) {
    const viaFile = i % 2 === 1;
    it(`${name}: 3 steps, save, a new optimizer loads, 2 more steps == 5 steps${viaFile ? ' (through torch.save bytes)' : ''}`, () => {
      const c = golden.optimizers[name] as Case;
      const { params, loss } = setup(c);
      const first = make(c.optimizer, params, c.options);
      for (let s = 0; s < 3; s++) trainStep(first, loss);
      let saved = first.stateDict();
      if (viaFile) saved = torch.deserialize(torch.serialize(saved as unknown as torch.Saveable)) as typeof saved;
      const second = make(c.optimizer, params, { ...c.options, lr: 0.5 });
      second.loadStateDict(saved);
      expect(second.paramGroups[0].lr).toBe(c.options.lr);
      expect(second.paramGroups[0].params).toEqual(params);
      for (let s = 3; s < 5; s++) {
        trainStep(second, loss);
        expectClose(flat(params), c.history[s], tolerance(c));
      }
    });
  }

  it('a saved dict is a snapshot: training on, before or after loading it, does not change it', () => {
    const c = golden.optimizers.adam_amsgrad_wd as Case;
    const { params, loss } = problem();
    const opt = make('Adam', params, c.options);
    trainStep(opt, loss);
    const saved = opt.stateDict();
    const before = (saved.state[0].expAvg as torch.Tensor).tolist();
    trainStep(opt, loss);
    expect((saved.state[0].expAvg as torch.Tensor).tolist()).toEqual(before);
    expect(saved.state[0].step).toBe(1);
    opt.loadStateDict(saved);
    trainStep(opt, loss);
    expect((saved.state[0].expAvg as torch.Tensor).tolist()).toEqual(before);
    saved.paramGroups[0].lr = 123;
    expect(opt.paramGroups[0].lr).toBe(c.options.lr);
  });

  for (const name of Object.keys(golden.python_state_dicts)) {
    it(`loads PyTorch's own state_dict (${name}, snake_case, step as a tensor) and continues like PyTorch`, () => {
      const c = golden.optimizers[name] as Case;
      const { params, loss } = problem();
      // PyTorch's dict holds no parameters: set them to where PyTorch's 3 steps left them.
      const after3 = c.history[2];
      torch.noGrad(() => {
        params[0].copy_(torch.tensor(after3.slice(0, 6), { dtype: torch.float64 }).reshape(3, 2));
        params[1].copy_(torch.tensor(after3.slice(6), { dtype: torch.float64 }));
      });
      const opt = make(c.optimizer, params, { ...c.options, lr: 0.5 });
      opt.loadStateDict(decode(golden.python_state_dicts[name]) as Record<string, unknown>);
      expect(opt.paramGroups[0].lr).toBe(c.options.lr);
      expect('foreach' in opt.paramGroups[0]).toBe(false);
      const st = opt.state.get(params[0]);
      if (st?.step !== undefined) expect(st.step).toBe(3);
      for (let s = 3; s < 5; s++) {
        trainStep(opt, loss);
        expectClose(flat(params), c.history[s], 1e-12);
      }
    });
  }

  it('AdamW keeps decoupled weight decay whatever the dict says; mismatched dicts are refused', () => {
    const { params, w, b, loss } = problem();
    const adamw = new optim.AdamW(params);
    const adam = new optim.Adam(params, { weightDecay: 0.1 });
    trainStep(adam, loss);
    adamw.loadStateDict(adam.stateDict());
    expect(adamw.paramGroups[0].decoupledWeightDecay).toBe(true);
    expect(adamw.paramGroups[0].weightDecay).toBe(0.1);
    const twoGroups = new optim.SGD([{ params: [w] }, { params: [b] }], { lr: 0.1 });
    expect(() => twoGroups.loadStateDict(adam.stateDict() as unknown as Record<string, unknown>))
      .toThrow('loaded state dict has a different number of parameter groups');
    const other = new optim.SGD([w], { lr: 0.1 });
    expect(() => other.loadStateDict(new optim.SGD([w, b], { lr: 0.1 }).stateDict()))
      .toThrow("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
  });
});

describe('optimizers on the GPU', () => {
  const available = torch.cuda.isAvailable();
  const reason = available ? 'GPU present' : torch.cuda.unavailableReason();
  it.skipIf(!available)(`Adam (amsgrad) and RMSprop (centered) on CUDA follow PyTorch; a CPU stateDict loads onto CUDA (${reason})`, () => {
    for (const name of ['adam_amsgrad_wd', 'rmsprop_centered_momentum_wd']) {
      const c = golden.optimizers[name] as Case;
      const cpu = problem();
      const x = torch.tensor(X, { dtype: torch.float64 }).cuda();
      const y = torch.tensor(Y, { dtype: torch.float64 }).cuda();
      const w = torch.tensor(W0, { dtype: torch.float64 }).cuda().requiresGrad_(true);
      const b = torch.tensor(B0, { dtype: torch.float64 }).cuda().requiresGrad_(true);
      const loss = () => x.matmul(w).add(b).sub(y).pow(2).mean().add(w.abs().sum().mul(0.01));
      const cpuOpt = make(c.optimizer, cpu.params, c.options);
      for (let s = 0; s < 3; s++) trainStep(cpuOpt, cpu.loss);
      torch.noGrad(() => {
        w.copy_(cpu.w.detach().cuda());
        b.copy_(cpu.b.detach().cuda());
      });
      const gpuOpt = make(c.optimizer, [w, b], c.options);
      gpuOpt.loadStateDict(cpuOpt.stateDict());
      for (const value of Object.values(gpuOpt.state.get(w)!)) {
        if (value instanceof torch.Tensor) expect(value.device.type).toBe('cuda');
      }
      for (let s = 3; s < 5; s++) {
        trainStep(gpuOpt, loss);
        expectClose(flat([w.cpu(), b.cpu()]), c.history[s], 1e-10);
      }
    }
  });
});

describe('learning-rate schedulers follow PyTorch', () => {
  type Row = number[];
  // Two groups (lr 0.1 and 0.05): each row is [lr0, lr1, getLastLr()..., lastEpoch] after a step.
  const twoGroups = (options: { momentum?: number } = {}) => {
    const a = torch.zeros(1, { requiresGrad: true });
    const c = torch.zeros(1, { requiresGrad: true });
    return new optim.SGD([{ params: [a] }, { params: [c], lr: 0.05 }], { lr: 0.1, ...options });
  };
  const row = (opt: AnyOptimizer, s: optim.lrScheduler.LRScheduler) =>
    [...opt.paramGroups.map((g) => g.lr as number), ...s.getLastLr(), s.lastEpoch];
  const lrs = (makeScheduler: (o: AnyOptimizer) => optim.lrScheduler.LRScheduler, epochs: number,
    feed?: { metrics?: number[]; epochs?: number[] }): Row[] => {
    const opt = twoGroups();
    const sched = makeScheduler(opt);
    const rows = [row(opt, sched)];
    for (let e = 0; e < epochs; e++) {
      opt.step();
      if (feed?.metrics) (sched as optim.lrScheduler.ReduceLROnPlateau).step(feed.metrics[e]);
      else if (feed?.epochs) sched.step(feed.epochs[e]);
      else sched.step();
      rows.push(row(opt, sched));
    }
    return rows;
  };
  const EPOCHS = [0, 1, 5, 9, 3, 12, 12, 20];
  const PLATEAU = [1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.8, 0.81, 0.82, 0.83, 0.84, 0.85, 0.7, 0.71, 0.72, 0.73, 0.74, 0.75, 0.76, 0.77];
  const cases: Record<string, () => Row[]> = {
    step: () => lrs((o) => new S.StepLR(o, 4, { gamma: 0.5 }), 15),
    step_default_gamma: () => lrs((o) => new S.StepLR(o, 3), 15),
    multistep: () => lrs((o) => new S.MultiStepLR(o, [7, 3, 7, 11], { gamma: 0.3 }), 15),
    exponential: () => lrs((o) => new S.ExponentialLR(o, 0.9), 15),
    cosine: () => lrs((o) => new S.CosineAnnealingLR(o, 5, { etaMin: 0.01 }), 25),
    cosine_default_eta: () => lrs((o) => new S.CosineAnnealingLR(o, 4), 12),
    lambda: () => lrs((o) => new S.LambdaLR(o, (e) => 1 / (1 + e)), 15),
    lambda_list: () => lrs((o) => new S.LambdaLR(o, [(e) => 0.5 * e + 1, (e) => 1 / (1 + e * e)]), 15),
    step_closed_form: () => lrs((o) => new S.StepLR(o, 4, { gamma: 0.5 }), EPOCHS.length, { epochs: EPOCHS }),
    multistep_closed_form: () => lrs((o) => new S.MultiStepLR(o, [7, 3, 7, 11], { gamma: 0.3 }), EPOCHS.length, { epochs: EPOCHS }),
    exponential_closed_form: () => lrs((o) => new S.ExponentialLR(o, 0.9), EPOCHS.length, { epochs: EPOCHS }),
    cosine_closed_form: () => lrs((o) => new S.CosineAnnealingLR(o, 5, { etaMin: 0.01 }), EPOCHS.length, { epochs: EPOCHS }),
    plateau: () => lrs((o) => new S.ReduceLROnPlateau(o, { patience: 2, factor: 0.5, cooldown: 1 }), 20, { metrics: PLATEAU }),
    plateau_max_abs: () => lrs((o) => new S.ReduceLROnPlateau(o, {
      mode: 'max', thresholdMode: 'abs', threshold: 0.05, patience: 1, factor: 0.3, minLr: [0.02, 0.001], eps: 1e-3,
    }), 20, { metrics: [0.1, 0.2, 0.22, 0.24, 0.5, 0.52, 0.5, 0.51, 0.6, ...Array<number>(11).fill(0.6)] }),
    plateau_min_abs: () => lrs((o) => new S.ReduceLROnPlateau(o, { thresholdMode: 'abs', threshold: 0.1, patience: 0, cooldown: 2, minLr: 0.01 }),
      20, { metrics: PLATEAU }),
    plateau_max_rel: () => lrs((o) => new S.ReduceLROnPlateau(o, { mode: 'max', threshold: 0.1, patience: 3 }), 20,
      { metrics: [1, 2, 2.1, 2.15, 2.2, 2.25, 2.6, 2.7, 2.8, 2.85, 2.9, 2.95, ...Array<number>(8).fill(3.0)] }),
  };
  // Python's StepLR(opt, step_size=4, gamma=0.5): the required argument given by keyword.
  it('takes the required argument in the options object too, as Python takes it by keyword', () => {
    const byKeyword: Record<string, () => Row[]> = {
      step: () => lrs((o) => new S.StepLR(o, { stepSize: 4, gamma: 0.5 }), 15),
      multistep: () => lrs((o) => new S.MultiStepLR(o, { milestones: [7, 3, 7, 11], gamma: 0.3 }), 15),
      exponential: () => lrs((o) => new S.ExponentialLR(o, { gamma: 0.9 }), 15),
      cosine: () => lrs((o) => new S.CosineAnnealingLR(o, { tMax: 5, etaMin: 0.01 }), 25),
      lambda: () => lrs((o) => new S.LambdaLR(o, { lrLambda: (e) => 1 / (1 + e) }), 15),
    };
    for (const [name, compute] of Object.entries(byKeyword)) {
      compute().forEach((r, i) => expectClose(r, golden.schedulers[name][i], 1e-15, 1e-14));
    }
  });

  it('covers every scheduler case of the fixture', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(golden.schedulers).sort());
  });
  for (const [name, compute] of Object.entries(cases)) {
    it(name, () => {
      const rows = compute();
      expect(rows.length).toBe(golden.schedulers[name].length);
      rows.forEach((r, i) => expectClose(r, golden.schedulers[name][i], 1e-15, 1e-14));
    });
  }

  it('several schedulers on one optimizer compose (StepLR then ExponentialLR)', () => {
    const opt = twoGroups();
    const a = new S.StepLR(opt, 3, { gamma: 0.5 });
    const b = new S.ExponentialLR(opt, 0.9);
    (golden.schedulers_chained as Row[]).forEach((expected) => {
      opt.step();
      a.step();
      b.step();
      expectClose([...opt.paramGroups.map((g) => g.lr), ...a.getLastLr(), ...b.getLastLr()], expected, 1e-15, 1e-14);
    });
  });

  it('a new scheduler given lastEpoch resumes from the groups\' initialLr, as PyTorch does', () => {
    const resumes: Record<string, [(o: AnyOptimizer) => optim.lrScheduler.LRScheduler, (o: AnyOptimizer, e: number) => optim.lrScheduler.LRScheduler]> = {
      cosine: [(o) => new S.CosineAnnealingLR(o, 5, { etaMin: 0.01 }), (o, e) => new S.CosineAnnealingLR(o, 5, { etaMin: 0.01, lastEpoch: e })],
      step: [(o) => new S.StepLR(o, 3, { gamma: 0.5 }), (o, e) => new S.StepLR(o, 3, { gamma: 0.5, lastEpoch: e })],
      exponential: [(o) => new S.ExponentialLR(o, 0.9), (o, e) => new S.ExponentialLR(o, 0.9, { lastEpoch: e })],
    };
    for (const [name, [first, resume]] of Object.entries(resumes)) {
      const opt = twoGroups();
      let sched = first(opt);
      for (let i = 0; i < 6; i++) {
        opt.step();
        sched.step();
      }
      sched = resume(opt, 5);
      const rows = [[...opt.paramGroups.map((g) => g.lr), sched.lastEpoch]];
      for (let i = 0; i < 6; i++) {
        opt.step();
        sched.step();
        rows.push([...opt.paramGroups.map((g) => g.lr), sched.lastEpoch]);
      }
      rows.forEach((r, i) => expectClose(r, golden.schedulers_resumed[name][i], 1e-15, 1e-14));
    }
    expect(() => new S.StepLR(twoGroups(), 3, { lastEpoch: 4 })).toThrow("param 'initialLr' is not specified in paramGroups[0]");
  });

  it('stateDict/loadStateDict: a restored scheduler continues the same schedule', () => {
    const opt = twoGroups();
    const sched = new S.CosineAnnealingLR(opt, 6, { etaMin: 0.001 });
    for (let i = 0; i < 4; i++) {
      opt.step();
      sched.step();
    }
    const saved = torch.deserialize(torch.serialize(sched.stateDict() as torch.Saveable)) as Record<string, unknown>;
    const savedOpt = opt.stateDict();
    expect(saved).toMatchObject({ tMax: 6, etaMin: 0.001, lastEpoch: 4, _stepCount: 5, baseLrs: [0.1, 0.05] });
    expect('optimizer' in saved).toBe(false);
    const opt2 = twoGroups();
    const sched2 = new S.CosineAnnealingLR(opt2, 6, { etaMin: 0.001 });
    opt2.loadStateDict(savedOpt);
    sched2.loadStateDict(saved);
    for (let i = 0; i < 8; i++) {
      opt.step();
      sched.step();
      opt2.step();
      sched2.step();
      expect(sched2.getLastLr()).toEqual(sched.getLastLr());
      expect(opt2.paramGroups.map((g) => g.lr)).toEqual(opt.paramGroups.map((g) => g.lr));
    }
    const lambda = new S.LambdaLR(twoGroups(), (e) => 0.9 ** e);
    expect(lambda.stateDict().lrLambdas).toEqual([null, null]);
  });

  it("loads PyTorch's own scheduler state_dicts (StepLR, ReduceLROnPlateau)", () => {
    const step = decode(golden.python_scheduler_state.step) as Record<string, unknown>;
    const opt = twoGroups();
    const sched = new S.StepLR(opt, 3, { gamma: 0.5 });
    sched.loadStateDict(step);
    expect(sched.lastEpoch).toBe(4);
    expect(sched.getLastLr()).toEqual([0.05, 0.025]);
    const reference = twoGroups();
    const referenceSched = new S.StepLR(reference, 3, { gamma: 0.5 });
    for (let i = 0; i < 4; i++) referenceSched.step();
    opt.paramGroups.forEach((g, i) => (g.lr = sched.getLastLr()[i]));
    for (let i = 0; i < 7; i++) {
      sched.step();
      referenceSched.step();
      expect(opt.paramGroups.map((g) => g.lr)).toEqual(reference.paramGroups.map((g) => g.lr));
    }

    const plateau = new S.ReduceLROnPlateau(twoGroups(), { patience: 1, factor: 0.5 });
    plateau.loadStateDict(decode(golden.python_scheduler_state.plateau) as Record<string, unknown>);
    expect(plateau).toMatchObject({ best: 0.5, numBadEpochs: 0, cooldownCounter: 0, lastEpoch: 4, modeWorse: Infinity, thresholdMode: 'rel' });
  });

  it('OneCycleLR cycles the rate and the momentum (SGD, cosine)', () => {
    const opt = twoGroups({ momentum: 0.9 });
    const sched = new S.OneCycleLR(opt, { maxLr: 1.0, totalSteps: 10 }); // Python's max_lr=1.0, by keyword
    (golden.onecycle.sgd_cos as Row[]).forEach((expected, i) => {
      expectClose(opt.paramGroups.flatMap((g) => [g.lr, g.momentum]), expected, 1e-15, 1e-14);
      opt.step();
      if (i < 9) sched.step();
    });
    sched.step();
    expect(() => sched.step()).toThrow('Tried to step 11 times. The specified number of total steps is 10');
  });

  it('OneCycleLR: Adam\'s beta1, three phases, linear annealing, per-group maxLr and momenta', () => {
    const a = torch.zeros(1, { requiresGrad: true });
    const c = torch.zeros(1, { requiresGrad: true });
    const opt = new optim.Adam([{ params: [a] }, { params: [c], lr: 0.05 }], { lr: 0.1 });
    const sched = new S.OneCycleLR(opt, [0.5, 0.2], {
      epochs: 3, stepsPerEpoch: 4, pctStart: 0.25, annealStrategy: 'linear', threePhase: true, divFactor: 10, finalDivFactor: 100,
      baseMomentum: [0.8, 0.7], maxMomentum: 0.9,
    });
    (golden.onecycle.adam_linear_three_phase as Row[]).forEach((expected, i) => {
      expectClose(opt.paramGroups.flatMap((g) => [g.lr, g.betas[0]]), expected, 1e-15, 1e-14);
      opt.step();
      if (i < 11) sched.step();
    });
    expect(opt.paramGroups[0].betas[1]).toBe(0.999);
  });

  it('refuses bad arguments, with PyTorch\'s messages', () => {
    const opt = twoGroups();
    expect(() => new S.StepLR(opt, { gamma: 3 } as unknown as number)).toThrow('StepLR: stepSize must be a number (new StepLR(optimizer, stepSize, { gamma }))');
    expect(() => new S.StepLR(opt, 3, { step_size: 3 } as object)).toThrow("StepLR: unknown option 'step_size'");
    expect(() => new S.CosineAnnealingLR(opt, 5, { eta_min: 0 } as object)).toThrow("unknown option 'eta_min' (did you mean 'etaMin'?)");
    expect(() => new S.StepLR({} as AnyOptimizer, 3)).toThrow('Object is not an Optimizer');
    expect(() => new S.LambdaLR(opt, [(e) => e])).toThrow('Expected 2 lr_lambdas, but got 1');
    expect(() => new S.ReduceLROnPlateau(opt, { factor: 1 })).toThrow('Factor should be < 1.0.');
    expect(() => new S.ReduceLROnPlateau(opt, { minLr: [0.1] })).toThrow('expected 2 min_lrs, got 1');
    expect(() => new S.ReduceLROnPlateau(opt, { mode: 'up' as 'min' })).toThrow('mode up is unknown!');
    expect(() => new S.OneCycleLR(opt, 1)).toThrow('You must define either total_steps OR (epochs AND steps_per_epoch)');
    expect(() => new S.OneCycleLR(new optim.Adagrad([torch.zeros(1, { requiresGrad: true })]), 1, { totalSteps: 5 }))
      .toThrow('optimizer must support momentum or beta1 with `cycle_momentum` option enabled');
    expect('initialLr' in opt.paramGroups[0]).toBe(false);
    const plateau = new S.ReduceLROnPlateau(opt);
    expect(plateau).toBeInstanceOf(S.LRScheduler);
    expect('initialLr' in opt.paramGroups[0]).toBe(false);
    plateau.step(torch.tensor(0.5));
    expect(plateau.best).toBe(0.5);
  });
});

describe('LBFGS follows PyTorch (closure steps)', () => {
  type LbfgsCase = { options: Record<string, unknown>; dtype: string; history: number[][] };
  const lbfgsProblem = (dtype: torch.DType) => {
    const x = torch.tensor(X, { dtype });
    const y = torch.tensor(Y, { dtype });
    const w = torch.tensor(W0, { dtype, requiresGrad: true });
    const b = torch.tensor(B0, { dtype, requiresGrad: true });
    return { w, b, loss: () => x.matmul(w).add(b).sub(y).pow(2).mean().add(w.pow(2).sum().mul(0.01)) };
  };
  const closureFor = (opt: AnyOptimizer, loss: () => torch.Tensor) => () => {
    opt.zeroGrad();
    const l = loss();
    l.backward();
    return l;
  };
  for (const [name, c] of Object.entries(golden.lbfgs as Record<string, LbfgsCase>)) {
    it(name, () => {
      const { w, b, loss } = lbfgsProblem(c.dtype === 'float32' ? torch.float32 : torch.float64);
      const opt = new optim.LBFGS([w, b], c.options);
      const closure = closureFor(opt, loss);
      for (const expected of c.history) {
        const l = opt.step(closure)!;
        const st = opt.state.get(w)!;
        expectClose([l.item() as number, ...flat([w, b]), st.funcEvals as number, st.nIter as number], expected,
          c.dtype === 'float32' ? 1e-6 : 1e-10);
      }
    });
  }

  it('resumes from a stateDict, and refuses what PyTorch refuses', () => {
    const c = golden.lbfgs.strong_wolfe as LbfgsCase;
    const { w, b, loss } = lbfgsProblem(torch.float64);
    const first = new optim.LBFGS([w, b], c.options);
    first.step(closureFor(first, loss));
    const second = new optim.LBFGS([w, b], c.options);
    second.loadStateDict(first.stateDict());
    for (const expected of c.history.slice(1)) {
      const l = second.step(closureFor(second, loss))!;
      expectClose([l.item() as number, ...flat([w, b])], expected.slice(0, -2), 1e-10);
    }
    expect(() => second.step()).toThrow('LBFGS requires a closure');
    expect(() => new optim.LBFGS([{ params: [w] }, { params: [b] }])).toThrow("LBFGS doesn't support per-parameter options (parameter groups)");
    expect(() => new optim.LBFGS([w], { lineSearchFn: 'armijo' as 'strong_wolfe' }).step(closureFor(second, loss)))
      .toThrow("only 'strong_wolfe' is supported");
    expect(new optim.LBFGS([w], { maxIter: 9 }).paramGroups[0].maxEval).toBe(11);
  });
});

describe('training end to end (values from PyTorch 2.11)', () => {
  it("a small classifier trained with Adam has PyTorch's loss curve, step by step", () => {
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
      curve.push(loss.item() as number);
    }
    expectClose(curve, golden.loss_curve, 1e-5);
  });

  it('nn.init.orthogonal_', () => {
    torch.manualSeed(22);
    const w = torch.empty(3, 5);
    torch.nn.init.orthogonal_(w, 2.0);
    expectClose((w.tolist() as number[][]).flat(), (golden.orthogonal as number[][]).flat(), 1e-5);
  });
});
