// torch.autograd.grad and torch.autograd.backward.
import { native } from './native';
import { Tensor, wrap } from './tensor';

export interface GradOptions {
  gradOutputs?: Tensor | (Tensor | null)[] | null;
  retainGraph?: boolean;
  createGraph?: boolean;
  allowUnused?: boolean;
}

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** torch.autograd.grad: the gradients of outputs with respect to inputs (null where unused). */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], options: GradOptions = {}): (Tensor | null)[] {
  const gradOutputs = options.gradOutputs == null ? null : list(options.gradOutputs).map((g) => (g ? g._h : null));
  const result = native.autogradGrad(list(outputs).map((t) => t._h), list(inputs).map((t) => t._h), gradOutputs,
    options.retainGraph ?? null, options.createGraph ?? false, options.allowUnused ?? false);
  return result.map((h) => (h === null ? null : wrap(h)));
}

/** torch.autograd.backward: accumulates gradients of tensors into the leaves' .grad. */
export function backward(tensors: Tensor | Tensor[], gradTensors?: Tensor | (Tensor | null)[] | null,
  options: { retainGraph?: boolean; createGraph?: boolean } = {}): void {
  const grads = gradTensors == null ? [] : list(gradTensors);
  list(tensors).forEach((t, i) => t.backward(grads[i] ?? null, options));
}

