// Models cross between torch-node and PyTorch both ways: a CNN with an LSTM head (the model of
// tests/fixtures/nn-golden-interop.py) trained in Python loads here and gives Python's outputs,
// and with Python's optimizer state resumes training with Python's losses (fixture files, so CI
// checks it); training it here from the same seed follows Python's loss curve; a model and an
// optimizer trained here and saved with torch.save load in Python (weights_only=True, strict),
// give the same outputs and resume training the same (needs Python with torch: TORCH_NODE_PYTHON,
// /work/pyvenv or python3; skipped with the reason otherwise).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '../lib/index';
import { findPython } from './python';

const { nn } = torch;
const F = nn.functional;
type Tensor = torch.Tensor;
const fixture = (name: string) => path.join(__dirname, 'fixtures', name);
const golden = JSON.parse(fs.readFileSync(fixture('nn-golden-interop.json'), 'utf8'));

class Net extends nn.Module {
  conv = new nn.Conv2d(1, 4, 3, { padding: 1, bias: false });
  bn = new nn.BatchNorm2d(4);
  pool = new nn.MaxPool2d(2);
  lstm = new nn.LSTM(12, 5, { batchFirst: true, bidirectional: true });
  head = new nn.Linear(10, 3);

  override forward(x: Tensor): Tensor {
    const h = this.pool.forward(F.relu(this.bn.forward(this.conv.forward(x))));
    const rows = h.permute(0, 2, 1, 3).flatten(2);
    const [out] = this.lstm.forward(rows);
    return this.head.forward(out.get(':, -1'));
  }
}

const xs = torch.tensor(golden.xs as number[]).reshape(8, 1, 6, 6);
const ys = torch.tensor(golden.ys as number[], { dtype: torch.int64 });
const probe = torch.tensor(golden.probe as number[]).reshape(3, 1, 6, 6);

function train(model: Net, steps: number, lr: number, opt = new torch.optim.Adam(model.parameters(), { lr })): number[] {
  model.train();
  const curve: number[] = [];
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    const loss = F.crossEntropy(model.forward(xs), ys);
    loss.backward();
    opt.step();
    curve.push(loss.item() as number);
  }
  return curve;
}

const evalOutputs = (model: Net) => torch.noGrad(() => model.eval().forward(probe));

function expectClose(actual: number[], expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    if (Math.abs(a - expected[i]) > tol * (1 + Math.abs(expected[i]))) {
      throw new Error(`element ${i}: ${a}, PyTorch's is ${expected[i]}\n  actual   ${actual.join(', ')}\n  expected ${expected.join(', ')}`);
    }
  });
}

describe('a model trained in PyTorch runs here (fixture made by nn-golden-interop.py)', () => {
  it('its state dict loads (strict) and the eval outputs are PyTorch\'s', () => {
    const model = new Net();
    const state = torch.load(fixture('nn-golden-interop.pt')) as torch.nn.StateDict;
    expect(Object.keys(state).sort()).toEqual(Object.keys(model.stateDict()).sort());
    model.loadStateDict(state);
    expectClose(evalOutputs(model).flatten().tolist() as number[], golden.outputs, 1e-5);
  });

  it('trained here from the same seed, it follows PyTorch\'s loss curve and ends with PyTorch\'s weights', () => {
    torch.manualSeed(golden.seed);
    const model = new Net();
    expectClose(train(model, golden.steps, golden.lr), golden.curve, 1e-5);
    const python = torch.load(fixture('nn-golden-interop.pt')) as torch.nn.StateDict;
    for (const [key, value] of Object.entries(model.stateDict())) {
      expect([key, torch.allclose(value.double(), python[key].double(), 1e-5, 1e-6)]).toEqual([key, true]);
    }
    expectClose(evalOutputs(model).flatten().tolist() as number[], golden.outputs, 1e-4);
  });

  it('with PyTorch\'s optimizer state_dict (torch.load), training resumes with PyTorch\'s losses', () => {
    const model = new Net();
    model.loadStateDict(torch.load(fixture('nn-golden-interop.pt')) as torch.nn.StateDict);
    const opt = new torch.optim.Adam(model.parameters());
    opt.loadStateDict(torch.load(fixture('nn-golden-interop-optim.pt')) as Record<string, unknown>);
    expect(opt.paramGroups[0].lr).toBe(golden.lr);
    expect(opt.state.get(model.head.weight)!.step).toBe(golden.steps);
    expectClose(train(model, golden.resumed_curve.length, 0, opt), golden.resumed_curve, 1e-5);
    expectClose(evalOutputs(model).flatten().tolist() as number[], golden.resumed_outputs, 1e-4);
  });
});

const found = findPython();
const pythonLabel = found.python ? `with ${found.python}` : `skipped: ${found.reason}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-interop-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe(`a model trained here loads in PyTorch (${pythonLabel})`, () => {
  it.skipIf(!found.python)('torch.save(model.stateDict()) -> torch.load(weights_only=True) -> load_state_dict: the same outputs', () => {
    torch.manualSeed(77);
    const model = new Net();
    train(model, 4, 0.02);
    const statePath = path.join(tmp, 'node-model.pt');
    const probePath = path.join(tmp, 'probe.pt');
    torch.save(model.stateDict(), statePath);
    torch.save(probe, probePath);
    const run = spawnSync(found.python!, [fixture('nn-golden-interop.py'), 'check', statePath, probePath],
      { encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr.split('\n').filter((l) => /Error/.test(l))).toEqual([]);
    expect(run.status).toBe(0);
    const python = JSON.parse(run.stdout) as { keys: string[]; outputs: number[] };
    expect(python.keys).toEqual(Object.keys(model.stateDict()));
    expectClose(python.outputs, evalOutputs(model).flatten().tolist() as number[], 1e-5);
  });

  it.skipIf(!found.python)("opt.stateDict({ format: 'pytorch' }) -> Python's load_state_dict: training resumes the same", () => {
    torch.manualSeed(78);
    const model = new Net();
    const opt = new torch.optim.Adam(model.parameters(), { lr: 0.02, amsgrad: true, weightDecay: 0.01 });
    train(model, 3, 0, opt);
    const [statePath, optimPath] = [path.join(tmp, 'resume-model.pt'), path.join(tmp, 'resume-optim.pt')];
    torch.save(model.stateDict(), statePath);
    torch.save(opt.stateDict({ format: 'pytorch' }) as unknown as torch.Saveable, optimPath);
    const curve = train(model, 2, 0, opt);
    const run = spawnSync(found.python!, [fixture('nn-golden-interop.py'), 'resume', statePath, optimPath, '2'],
      { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const python = JSON.parse(run.stdout) as { curve: number[]; outputs: number[] };
    expectClose(python.curve, curve, 1e-5);
    expectClose(python.outputs, evalOutputs(model).flatten().tolist() as number[], 1e-4);
  });
});

describe("an optimizer's stateDict({ format: 'pytorch' }) is PyTorch's state_dict (tests/fixtures/optim-golden.json)", () => {
  const optimGolden = JSON.parse(fs.readFileSync(fixture('optim-golden.json'), 'utf8'));
  const IMPLEMENTATION_FLAGS = ['foreach', 'capturable', 'differentiable', 'fused'];
  // optim-golden.py's problem: w (3x2), b (2); loss = mean((x @ w + b - y)^2) + 0.01 * sum|w|.
  const problem = () => {
    const f64 = { dtype: torch.float64 };
    const x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75], [-0.3, 0.8, 0.1], [1.0, 1.0, -1.0]], f64);
    const y = torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [1.0, -1.0]], f64);
    const w = torch.tensor([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], { ...f64, requiresGrad: true });
    const b = torch.tensor([0.05, -0.05], { ...f64, requiresGrad: true });
    return { params: [w, b], loss: () => x.matmul(w).add(b).sub(y).pow(2).mean().add(w.abs().sum().mul(0.01)) };
  };
  type Encoded = { tensor: number[]; dtype: string; shape: number[] };

  for (const [name, python] of Object.entries(optimGolden.python_state_dicts as Record<string, { state: Record<string, Record<string, Encoded>>; param_groups: Record<string, unknown>[] }>)) {
    it(`${name}: names, values, step as a float32 tensor, string ids; and it loads back here`, () => {
      const c = optimGolden.optimizers[name] as { optimizer: string; options: object };
      const { params, loss } = problem();
      const Class = (torch.optim as unknown as Record<string, new (p: torch.Tensor[], o: object) => torch.optim.Optimizer>)[c.optimizer];
      const opt = new Class(params, c.options);
      for (let i = 0; i < 3; i++) {
        opt.zeroGrad();
        loss().backward();
        opt.step();
      }
      const sd = opt.stateDict({ format: 'pytorch' });
      const { params: ids, ...options } = sd.param_groups[0];
      const { params: pythonIds, ...pythonOptions } = python.param_groups[0];
      for (const flag of IMPLEMENTATION_FLAGS) delete pythonOptions[flag];
      expect(options).toEqual(pythonOptions);
      expect(ids).toEqual((pythonIds as number[]).map(String));
      expect(Object.keys(sd.state)).toEqual(Object.keys(python.state));
      for (const [id, entry] of Object.entries(python.state)) {
        expect(Object.keys(sd.state[id]).sort()).toEqual(Object.keys(entry).sort());
        for (const [key, value] of Object.entries(entry)) {
          const mine = sd.state[id][key] as torch.Tensor;
          expect([key, mine.dtype.name, mine.shape]).toEqual([key, value.dtype, value.shape]);
          expectClose([mine.flatten().tolist()].flat() as number[], value.tensor, 1e-12);
        }
      }
      const again = new Class(problem().params, c.options);
      again.loadStateDict(sd as unknown as Record<string, unknown>);
      const plain = (v: unknown): unknown => (v instanceof torch.Tensor ? v.tolist() : Array.isArray(v) ? v.map(plain)
        : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])) : v);
      expect(plain(again.stateDict())).toEqual(plain(opt.stateDict()));
    });
  }
});
