// torch.nn.functional's dropouts (element-wise, channel-wise in 1, 2 or 3 spatial dimensions,
// alpha) and rrelu, with Python's defaults (alpha dropouts and rrelu default to training=false).
import type { Tensor } from '../tensor';
import * as torch from '../generated/functions';

type Op = (input: Tensor, p: number, train: boolean) => Tensor;

function checked(op: Op, inplaceOp: Op, input: Tensor, p: number, training: boolean, inplace: boolean): Tensor {
  if (p < 0 || p > 1) throw new Error(`dropout probability has to be between 0 and 1, but got ${p}`);
  return (inplace ? inplaceOp : op)(input, p, training);
}

export const dropout = (input: Tensor, p = 0.5, training = true, options: { inplace?: boolean } = {}): Tensor =>
  checked(torch.dropout, torch.dropout_, input, p, training, options.inplace ?? false);

/** Channel-wise dropout of (C, L) or (N, C, L) input. */
export function dropout1d(input: Tensor, p = 0.5, training = true, options: { inplace?: boolean } = {}): Tensor {
  const d = input.dim();
  if (d !== 2 && d !== 3) {
    throw new Error(`dropout1d: Expected 2D or 3D input, but received a ${d}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).`);
  }
  const out = checked(torch.featureDropout, torch.featureDropout_, d === 3 ? input : input.unsqueeze(0), p, training, options.inplace ?? false);
  return d === 3 ? out : out.squeeze(0);
}

/** Zeroes whole channels (dim 1) with probability p; (N, C, H, W) input (a 3-D input is taken as (N, C, L), as PyTorch still does). */
export const dropout2d = (input: Tensor, p = 0.5, training = true, options: { inplace?: boolean } = {}): Tensor =>
  checked(torch.featureDropout, torch.featureDropout_, input, p, training, options.inplace ?? false);

/** Channel-wise dropout of (C, D, H, W) or (N, C, D, H, W) input. */
export function dropout3d(input: Tensor, p = 0.5, training = true, options: { inplace?: boolean } = {}): Tensor {
  const batched = input.dim() === 5;
  const out = checked(torch.featureDropout, torch.featureDropout_, batched ? input : input.unsqueeze(0), p, training, options.inplace ?? false);
  return batched ? out : out.squeeze(0);
}

/** Dropout that keeps a SELU network's mean and variance. */
export const alphaDropout = (input: Tensor, p = 0.5, training = false, options: { inplace?: boolean } = {}): Tensor =>
  checked(torch.alphaDropout, torch.alphaDropout_, input, p, training, options.inplace ?? false);

export const featureAlphaDropout = (input: Tensor, p = 0.5, training = false, options: { inplace?: boolean } = {}): Tensor =>
  checked(torch.featureAlphaDropout, torch.featureAlphaDropout_, input, p, training, options.inplace ?? false);

/** Randomized leaky ReLU: a random slope in [lower, upper] when training, their mean otherwise. */
export const rrelu = (input: Tensor, lower = 1 / 8, upper = 1 / 3, training = false, options: { inplace?: boolean } = {}): Tensor =>
  (options.inplace ? torch.rrelu_(input, lower, upper, training) : torch.rrelu(input, lower, upper, training));
