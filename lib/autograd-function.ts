// torch.autograd.Function: custom operations with a backward written in TypeScript.
//
//   class Exp extends torch.autograd.Function {
//     static forward(ctx, x) { const y = x.exp(); ctx.saveForBackward(y); return y; }
//     static backward(ctx, grad) { const [y] = ctx.savedTensors; return grad.mul(y); }
//   }
//   const y = Exp.apply(x);
//
// forward runs without autograd recording; backward returns one gradient (or null) per
// forward argument, as in PyTorch.
import { native } from './native';
import { Tensor, wrap } from './tensor';
import { noGrad, isGradEnabled } from './autograd';
import { fail } from './ops/validate';

export class FunctionCtx {
  /** For each forward argument: whether it is a tensor that requires grad. */
  needsInputGrad: boolean[] = [];
  private saved: Tensor[] = [];

  saveForBackward(...tensors: Tensor[]): void {
    this.saved = tensors;
  }

  get savedTensors(): Tensor[] {
    return this.saved;
  }
}

type Grad = Tensor | null | undefined;

export class Function {
  static forward(_ctx: FunctionCtx, ..._args: unknown[]): Tensor | Tensor[] {
    throw new Error(`${this.name}.forward is not implemented`);
  }

  static backward(_ctx: FunctionCtx, ..._grads: (Tensor | null)[]): Grad | Grad[] {
    throw new Error(`${this.name}.backward is not implemented`);
  }

  static apply<T extends Tensor | Tensor[]>(...args: unknown[]): T {
    const ctx = new FunctionCtx();
    ctx.needsInputGrad = args.map((a) => a instanceof Tensor && a.requiresGrad);
    const result = noGrad(() => this.forward(ctx, ...args));
    const outputs = Array.isArray(result) ? result : [result];
    outputs.forEach((t, i) => {
      if (!(t instanceof Tensor)) fail(`${this.name}.forward returned output ${i}`, 'a Tensor', t);
    });
    const inputIndices = args.map((a, i) => (a instanceof Tensor ? i : -1)).filter((i) => i >= 0);
    if (isGradEnabled() && ctx.needsInputGrad.some(Boolean)) {
      const backward = (grads: (unknown | null)[]) => {
        const gradients = this.backward(ctx, ...grads.map((h) => (h === null ? null : wrap(h as Tensor['_h']))));
        const list = Array.isArray(gradients) ? gradients : [gradients];
        list.forEach((g, i) => {
          if (g != null && !(g instanceof Tensor)) fail(`${this.name}.backward returned gradient ${i}`, 'a Tensor or null', g);
        });
        // One gradient per forward argument; the native node wants those of the tensor inputs.
        return inputIndices.map((i) => (list[i] instanceof Tensor ? (list[i] as Tensor)._h : null));
      };
      native.attachFunction(outputs.map((t) => t._h), inputIndices.map((i) => (args[i] as Tensor)._h), backward, `${this.name}Backward`);
    }
    return result as T;
  }
}
