// Grad mode (torch.noGrad / enableGrad / setGradEnabled) and torch.autograd.grad/backward.
import { native } from './native';
import { Tensor, wrap } from './tensor';

/** A grad-mode switch: call it with a function, or hold it with `using` (Python's `with`). */
function gradMode(enabled: boolean) {
  function run<T>(fn: () => T): T;
  function run(): Disposable;
  function run<T>(fn?: () => T): T | Disposable {
    const previous = native.isGradEnabled();
    native.setGradEnabled(enabled);
    if (fn === undefined) return { [Symbol.dispose]: () => native.setGradEnabled(previous) };
    try {
      return fn();
    } finally {
      native.setGradEnabled(previous);
    }
  }
  return run;
}

/** `torch.noGrad(() => ...)` or `using _ = torch.noGrad()`: no autograd recording inside. */
export const noGrad = gradMode(false);
/** `torch.enableGrad(() => ...)`: autograd recording on again inside a noGrad region. */
export const enableGrad = gradMode(true);

export function isGradEnabled(): boolean {
  return native.isGradEnabled();
}

export function setGradEnabled(enabled: boolean): void {
  native.setGradEnabled(enabled);
}

export interface GradOptions {
  gradOutputs?: Tensor | (Tensor | null)[] | null;
  retainGraph?: boolean;
  createGraph?: boolean;
  allowUnused?: boolean;
}

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** torch.autograd.grad: the gradients of outputs with respect to inputs (null where unused). */
function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], options: GradOptions = {}): (Tensor | null)[] {
  const gradOutputs = options.gradOutputs == null ? null : list(options.gradOutputs).map((g) => (g ? g._h : null));
  const result = native.autogradGrad(list(outputs).map((t) => t._h), list(inputs).map((t) => t._h), gradOutputs,
    options.retainGraph ?? null, options.createGraph ?? false, options.allowUnused ?? false);
  return result.map((h) => (h === null ? null : wrap(h)));
}

/** torch.autograd.backward: accumulates gradients of tensors into the leaves' .grad. */
function backward(tensors: Tensor | Tensor[], gradTensors?: Tensor | (Tensor | null)[] | null,
  options: { retainGraph?: boolean; createGraph?: boolean } = {}): void {
  const grads = gradTensors == null ? [] : list(gradTensors);
  list(tensors).forEach((t, i) => t.backward(grads[i] ?? null, options));
}

export const autograd = { grad, backward, noGrad, enableGrad, setGradEnabled, isGradEnabled };
