// torch.nn.functional's RMS normalization (aten's rms_norm) and local response normalization
// (PyTorch's composition: an average pool of squares across neighbouring channels).
import type { Tensor } from '../tensor';
import { makeNamespace } from '../ops/overload';
import { overloads, nn as nnTable } from '../generated/ops';
import * as torch from '../generated/functions';

const C = makeNamespace('torch._C._nn.', overloads, nnTable) as Record<string, (...args: unknown[]) => Tensor>;

export interface RMSNormOptions {
  weight?: Tensor | null;
  /** null: the machine epsilon of the computation type, as PyTorch's eps=None. */
  eps?: number | null;
}

/** Divides by the root mean square over the last normalizedShape.length dimensions, then scales by weight. */
export const rmsNorm = (input: Tensor, normalizedShape: number[], options: RMSNormOptions = {}): Tensor =>
  torch.rmsNorm(input, normalizedShape, options.weight ?? null, options.eps ?? null);

export interface LocalResponseNormOptions {
  alpha?: number;
  beta?: number;
  k?: number;
}

/** Divides each channel by (k + alpha * mean of the squares of `size` neighbouring channels)^beta. */
export function localResponseNorm(input: Tensor, size: number, options: LocalResponseNormOptions = {}): Tensor {
  const { alpha = 1e-4, beta = 0.75, k = 1 } = options;
  const dim = input.dim();
  if (dim < 3) throw new Error(`Expected 3D or higher dimensionality                          input (got ${dim} dimensions)`);
  if (input.numel() === 0) return input;
  const before = Math.floor(size / 2);
  const after = Math.floor((size - 1) / 2);
  let div = input.mul(input);
  if (dim === 3) {
    div = C.pad(div.unsqueeze(1), [0, 0, before, after]);
    div = C.avgPool2d(div, [size, 1], 1).squeeze(1);
  } else {
    const sizes = input.shape;
    div = C.pad(div.view(sizes[0], 1, sizes[1], sizes[2], -1), [0, 0, 0, 0, before, after]);
    div = C.avgPool3d(div, [size, 1, 1], 1).squeeze(1).view(sizes);
  }
  return input.div(div.mul(alpha).add(k).pow(beta));
}
