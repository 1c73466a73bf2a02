// torch.nn.functional's fractional max pooling (2-D and 3-D): windows at random steps that reach
// a target output size, drawn (as PyTorch draws them) from torch.rand unless randomSamples are given.
import type { Tensor } from '../tensor';
import { makeNamespace } from '../ops/overload';
import { overloads, nn as nnTable } from '../generated/ops';
import * as torch from '../generated/functions';
import type { Size } from './types';

const C = makeNamespace('torch._C._nn.', overloads, nnTable) as Record<string, (...args: unknown[]) => Tensor>;

export interface FractionalMaxPoolOptions {
  /** The output's spatial size; this or outputRatio. */
  outputSize?: Size | null;
  /** The output's size as a fraction of the input's, each in (0, 1). */
  outputRatio?: number | number[] | null;
  /** (N, C, d) samples in [0, 1) that place the windows (PyTorch's `_random_samples`); drawn with torch.rand if absent. */
  randomSamples?: Tensor | null;
}

function fractionalMaxPool(d: 2 | 3, input: Tensor, kernelSize: Size, o: FractionalMaxPoolOptions): [Tensor, Tensor] {
  const { outputRatio = null } = o;
  let outputSize = o.outputSize ?? null;
  if (outputSize === null && outputRatio === null) {
    throw new Error(`fractional_max_pool${d}d requires specifying either an output_size or an output_ratio`);
  }
  if (outputSize === null) {
    if (d === 2 && Array.isArray(outputRatio) && outputRatio.length > 2) {
      throw new Error('fractional_max_pool2d requires output_ratio to either be a single Int or tuple of Ints.');
    }
    const ratio = typeof outputRatio === 'number' ? Array<number>(d).fill(outputRatio) : outputRatio!;
    outputSize = ratio.slice(0, d).map((r, i) => Math.trunc(input.size(i - d) * r));
  }
  let samples = o.randomSamples ?? null;
  if (samples === null) {
    const batch = input.dim() === d + 1 ? 1 : input.size(0);
    samples = torch.rand([batch, input.size(-d - 1), d], { dtype: input.dtype, device: input.device });
  }
  return C[`fractionalMaxPool${d}d`](input, kernelSize, outputSize, samples) as unknown as [Tensor, Tensor];
}

/** Fractional max pooling that always returns [values, indices]. */
export const fractionalMaxPool2dWithIndices = (input: Tensor, kernelSize: Size, o: FractionalMaxPoolOptions = {}): [Tensor, Tensor] =>
  fractionalMaxPool(2, input, kernelSize, o);
export const fractionalMaxPool3dWithIndices = (input: Tensor, kernelSize: Size, o: FractionalMaxPoolOptions = {}): [Tensor, Tensor] =>
  fractionalMaxPool(3, input, kernelSize, o);

/** Fractional max pooling: the values, or [values, indices] with { returnIndices: true }. */
export function fractionalMaxPool2d(input: Tensor, kernelSize: Size, o: FractionalMaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function fractionalMaxPool2d(input: Tensor, kernelSize: Size, o?: FractionalMaxPoolOptions & { returnIndices?: false }): Tensor;
export function fractionalMaxPool2d(input: Tensor, kernelSize: Size, o: FractionalMaxPoolOptions & { returnIndices?: boolean } = {}): Tensor | [Tensor, Tensor] {
  const pair = fractionalMaxPool(2, input, kernelSize, o);
  return o.returnIndices ? pair : pair[0];
}
export function fractionalMaxPool3d(input: Tensor, kernelSize: Size, o: FractionalMaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function fractionalMaxPool3d(input: Tensor, kernelSize: Size, o?: FractionalMaxPoolOptions & { returnIndices?: false }): Tensor;
export function fractionalMaxPool3d(input: Tensor, kernelSize: Size, o: FractionalMaxPoolOptions & { returnIndices?: boolean } = {}): Tensor | [Tensor, Tensor] {
  const pair = fractionalMaxPool(3, input, kernelSize, o);
  return o.returnIndices ? pair : pair[0];
}
