// torch.autograd.grad and torch.autograd.backward.
import { native } from './native';
import { Tensor, wrap } from './tensor';
import { expectOptions, expectTensors, fail } from './ops/validate';

export interface GradOptions {
  gradOutputs?: Tensor | (Tensor | null)[] | null;
  retainGraph?: boolean;
  createGraph?: boolean;
  allowUnused?: boolean;
}

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** Gradients for `outputs`: one per output, each a Tensor of its output's shape, or null. */
function checkGradients(where: string, grads: unknown[], outputs: Tensor[]): void {
  if (grads.length > outputs.length) throw new RangeError(`${where}: ${grads.length} gradients for ${outputs.length} outputs`);
  grads.forEach((g, i) => {
    if (g == null) return;
    if (!(g instanceof Tensor)) fail(`${where}[${i}]`, 'a Tensor or null', g);
    const [a, b] = [g.shape, outputs[i].shape];
    if (a.length !== b.length || a.some((d, k) => d !== b[k])) {
      throw new RangeError(`Mismatch in shape: grad_output[${i}] has a shape of [${a}] and output[${i}] has a shape of [${b}]`);
    }
  });
}

/** torch.autograd.grad: the gradients of outputs with respect to inputs (null where unused). */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], options: GradOptions = {}): (Tensor | null)[] {
  const outs = expectTensors('autograd.grad(outputs)', outputs);
  const ins = expectTensors('autograd.grad(inputs)', inputs);
  expectOptions('autograd.grad(options)', options);
  const given = options.gradOutputs == null ? null : list(options.gradOutputs);
  if (given) checkGradients('autograd.grad: gradOutputs', given, outs);
  const gradOutputs = given === null ? null : given.map((g) => (g ? g._h : null));
  const result = native.autogradGrad(outs.map((t) => t._h), ins.map((t) => t._h), gradOutputs,
    options.retainGraph ?? null, options.createGraph ?? false, options.allowUnused ?? false);
  return result.map((h) => (h === null ? null : wrap(h)));
}

/** torch.autograd.backward: accumulates gradients of tensors into the leaves' .grad. */
export function backward(tensors: Tensor | Tensor[], gradTensors?: Tensor | (Tensor | null)[] | null,
  options: { retainGraph?: boolean; createGraph?: boolean } = {}): void {
  const outs = expectTensors('autograd.backward(tensors)', tensors);
  const grads = gradTensors == null ? [] : list(gradTensors);
  checkGradients('autograd.backward: gradTensors', grads, outs);
  outs.forEach((t, i) => t.backward(grads[i] ?? null, options));
}

