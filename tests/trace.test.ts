import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';
import { trace } from '../lib/jit';

const { nn } = torch;

// The seed's CNN: Conv2d(1, 32, 3) + ReLU -> MaxPool2d(2) -> Flatten -> Linear(5408, 64) + ReLU -> Linear(64, 10).
class Net extends nn.Module {
  conv = new nn.Conv2d(1, 32, 3);
  pool = new nn.MaxPool2d(2);
  flatten = new nn.Flatten();
  fc1 = new nn.Linear(32 * 13 * 13, 64);
  fc2 = new nn.Linear(64, 10);

  override forward(x: torch.Tensor): torch.Tensor {
    const relu = nn.functional.relu;
    x = this.pool.forward(relu(this.conv.forward(x))) as torch.Tensor;
    return this.fc2.forward(relu(this.fc1.forward(this.flatten.forward(x))));
  }
}

const close = (a: torch.Tensor, b: torch.Tensor) => expect(torch.allclose(a, b, { rtol: 1e-5, atol: 1e-6 })).toBe(true);

describe('torch.jit.trace of a JS module', () => {
  it('records the ops libtorch ran, reading the parameters as module attributes', () => {
    torch.manualSeed(0);
    const model = new Net().eval();
    const traced = trace(model, torch.randn(1, 1, 28, 28));
    expect(traced.graph).toMatch(/aten::_convolution|aten::conv2d/);
    expect(traced.graph).toMatch(/aten::max_pool2d/);
    expect(traced.graph).toMatch(/prim::GetAttr\[name="weight"\]/);
    expect(Object.keys(traced.stateDict()).sort()).toEqual(Object.keys(model.stateDict()).sort());
  });

  it('gives the JS forward\'s results for other inputs and batch sizes', () => {
    torch.manualSeed(1);
    const model = new Net().eval();
    const traced = trace(model, torch.randn(1, 1, 28, 28));
    for (const batch of [1, 5]) {
      const x = torch.randn(batch, 1, 28, 28);
      const y = traced.forward(x) as torch.Tensor;
      expect(y.shape).toEqual([batch, 10]);
      close(y, model.forward(x));
    }
  });

  it('shares the parameters with the JS module, as PyTorch does', () => {
    const model = new Net().eval();
    const traced = trace(model, torch.randn(2, 1, 28, 28));
    torch.noGrad(() => model.fc2.bias.add_(1)); // an optimizer step would do the same
    const x = torch.randn(2, 1, 28, 28);
    close(traced.forward(x) as torch.Tensor, model.forward(x));
    expect(traced.stateDict()['fc2.bias'].tolist()).toEqual(model.fc2.bias.tolist());
  });

  it('ScriptModule.loadStateDict swaps in new weights, and refuses a wrong state dict', () => {
    const [a, b] = [new Net().eval(), new Net().eval()];
    const traced = trace(a, torch.randn(1, 1, 28, 28));
    traced.loadStateDict(b.stateDict());
    const x = torch.randn(3, 1, 28, 28);
    close(traced.forward(x) as torch.Tensor, b.forward(x));
    expect(() => traced.loadStateDict({ 'fc2.bias': torch.zeros(10) })).toThrow(/missing key "conv.weight"/);
    expect(() => traced.loadStateDict({ ...b.stateDict(), 'fc2.bias': torch.zeros(3) }))
      .toThrow(/size mismatch for fc2.bias: \[3\] in the state dict, \[10\] in the module/);
  });

  it('keeps buffers, nesting and PyTorch\'s names (batch norm statistics, camelCased properties)', () => {
    class Outer extends nn.Module {
      featureNet = new nn.Sequential(new nn.Linear(4, 3), new nn.BatchNorm1d(3));
      override forward(x: torch.Tensor) { return this.featureNet.forward(x).tanh(); }
    }
    const model = new Outer().eval();
    torch.noGrad(() => (model.featureNet.at(1) as nn.BatchNorm1d).runningMean!.fill_(0.5));
    const traced = trace(model, torch.randn(2, 4));
    expect(Object.keys(traced.stateDict())).toEqual(expect.arrayContaining(
      ['feature_net.0.weight', 'feature_net.1.running_mean', 'feature_net.1.running_var']));
    expect(traced.namedBuffers().map(([k]) => k)).toContain('feature_net.1.running_mean');
    expect(traced.namedParameters().map(([k]) => k)).not.toContain('feature_net.1.running_mean');
    const x = torch.randn(6, 4);
    close(traced.forward(x) as torch.Tensor, model.forward(x));
  });

  it('saves a module that torch.jit.load reads back', () => {
    const model = new Net().eval();
    const traced = trace(model, torch.randn(1, 1, 28, 28));
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'trace-')), 'net.pt');
    traced.save(file);
    const loaded = torch.jit.load(file);
    const x = torch.randn(4, 1, 28, 28);
    close(loaded.forward(x) as torch.Tensor, model.forward(x));
  });
});

describe('torch.jit.trace of a function', () => {
  it('records several inputs and outputs', () => {
    const f = (a: torch.Tensor, b: torch.Tensor) => [a.mul(b), a.add(b).relu()];
    const traced = trace(f, [torch.randn(3), torch.randn(3)]);
    const [a, b] = [torch.randn(5), torch.randn(5)];
    const [p, q] = traced.forward(a, b) as torch.Tensor[];
    close(p, a.mul(b));
    close(q, a.add(b).relu());
    expect(traced.graph).toMatch(/aten::mul/);
  });

  it('fixes values read into JS at their traced values, as PyTorch fixes Python numbers', () => {
    const traced = trace((x: torch.Tensor) => x.mul(x.sum().item()), torch.ones(2));
    expect((traced.forward(torch.full([2], 2)) as torch.Tensor).tolist()).toEqual([4, 4]); // 2 * 2, not 2 * 4
  });

  it('a JS error in forward propagates, and tracing works again afterwards', () => {
    const boom = () => { throw new Error('boom in forward'); };
    expect(() => trace(boom, torch.ones(1))).toThrow('boom in forward');
    const traced = trace((x: torch.Tensor) => x.neg(), torch.ones(1));
    expect((traced.forward(torch.ones(2)) as torch.Tensor).tolist()).toEqual([-1, -1]);
  });

  it('strict (the default) refuses a dict output with libtorch\'s message; strict: false keeps it', () => {
    const f = (x: torch.Tensor) => ({ double: x.mul(2) });
    expect(() => trace(f, torch.ones(1))).toThrow(/dict/i);
    const traced = trace(f, torch.ones(1), { strict: false });
    expect(((traced.forward(torch.ones(2)) as Record<string, torch.Tensor>).double).tolist()).toEqual([2, 2]);
  });

  it('refuses non-tensor example inputs with libtorch\'s message', () => {
    expect(() => trace((x: torch.Tensor) => x, [3])).toThrow(/tensors|Tensor/);
  });
});
