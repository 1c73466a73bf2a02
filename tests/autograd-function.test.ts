import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

class Exp extends torch.autograd.Function {
  static override forward(ctx: torch.AutogradFunctionCtx, x: torch.Tensor): torch.Tensor {
    const y = x.exp();
    ctx.saveForBackward(y);
    return y;
  }
  static override backward(ctx: torch.AutogradFunctionCtx, grad: torch.Tensor | null): torch.Tensor {
    const [y] = ctx.savedTensors;
    return grad!.mul(y);
  }
}

// A function of two tensors and a number, with a gradient only for the first tensor.
class ScaledProduct extends torch.autograd.Function {
  static override forward(ctx: torch.AutogradFunctionCtx, a: torch.Tensor, b: torch.Tensor, k: number): torch.Tensor {
    ctx.saveForBackward(a, b);
    (ctx as unknown as { k: number }).k = k;
    return a.mul(b).mul(k);
  }
  static override backward(ctx: torch.AutogradFunctionCtx, grad: torch.Tensor | null) {
    const [, b] = ctx.savedTensors;
    const k = (ctx as unknown as { k: number }).k;
    return [ctx.needsInputGrad[0] ? grad!.mul(b).mul(k) : null, null, null];
  }
}

describe('torch.autograd.Function', () => {
  it('a backward written in TypeScript runs inside libtorch\'s engine', () => {
    const x = torch.tensor([0, 1, 2], { requiresGrad: true, dtype: torch.float64 });
    const y = Exp.apply<torch.Tensor>(x);
    expect(y.gradFn?.name()).toBe('ExpBackward');
    y.mul(2).sum().backward();
    expect(x.grad!.tolist()).toEqual(x.detach().exp().mul(2).tolist());
  });

  it('mixes with built-in ops, non-tensor arguments and needsInputGrad', () => {
    const a = torch.tensor([1, 2], { requiresGrad: true, dtype: torch.float64 });
    const b = torch.tensor([3, 4], { dtype: torch.float64 });
    const out = ScaledProduct.apply<torch.Tensor>(a.mul(2), b, 0.5).sum();
    out.backward();
    expect(a.grad!.tolist()).toEqual([3, 4]);
  });

  it('passes gradcheck against finite differences', () => {
    const x = torch.tensor([0.3, -0.7, 1.1], { requiresGrad: true, dtype: torch.float64 });
    expect(torch.autograd.gradcheck((t) => Exp.apply<torch.Tensor>(t).mul(t), [x])).toBe(true);
    const wrong = class extends Exp {
      static override backward(_ctx: torch.AutogradFunctionCtx, grad: torch.Tensor | null): torch.Tensor { return grad!; }
    };
    expect(torch.autograd.gradcheck((t) => wrong.apply<torch.Tensor>(t), [x], { raiseException: false })).toBe(false);
    expect(() => torch.autograd.gradcheck((t) => wrong.apply<torch.Tensor>(t), [x])).toThrow(/Jacobian mismatch for output 0 with respect to input 0/);
  });

  it('errors in backward reach the caller; bad gradients are named', () => {
    const Boom = class extends Exp {
      static override backward(): torch.Tensor { throw new Error('boom in backward'); }
    };
    const x = torch.ones(2, { requiresGrad: true });
    expect(() => Boom.apply<torch.Tensor>(x).sum().backward()).toThrow('boom in backward');
    const WrongShape = class extends Exp {
      static override backward(): torch.Tensor { return torch.ones(3); }
    };
    expect(() => WrongShape.apply<torch.Tensor>(x).sum().backward()).toThrow(/invalid gradient at index 0 - got \[3\] but expected shape compatible with \[2\]/);
    expect(torch.ones(2).add(1).sum().item()).toBe(4);
  });
});
