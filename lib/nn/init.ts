// torch.nn.init: in-place initializers with PyTorch's formulas and random-number use, so a
// layer made after torch.manualSeed(s) holds the same values as in Python.
import type { Tensor } from '../tensor';
import { noGrad } from '../autograd';
import { eye, linalg, randperm } from '../generated/functions';
import { tensor as scalar } from '../creation';
import { float64 } from '../dtype';
import type { Generator } from '../generator';

/** PyTorch's `generator=`: draw from this generator instead of the global one. */
export interface GeneratorOption {
  generator?: Generator | null;
}

export type Nonlinearity = 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d'
  | 'conv_transpose3d' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';
export type FanMode = 'fan_in' | 'fan_out';

export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d': case 'sigmoid':
    case 'conv_transpose1d': case 'conv_transpose2d': case 'conv_transpose3d':
      return 1;
    case 'tanh': return 5 / 3;
    case 'relu': return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu': return 3 / 4;
    default: throw new Error(`Unsupported nonlinearity ${String(nonlinearity)}`);
  }
}

export function calculateFanInAndFanOut(tensor: Tensor): [number, number] {
  const shape = tensor.shape;
  if (shape.length < 2) throw new Error('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return [shape[1] * receptive, shape[0] * receptive];
}

function fan(tensor: Tensor, mode: FanMode): number {
  if (mode !== 'fan_in' && mode !== 'fan_out') throw new Error(`Mode ${String(mode)} not supported, please use one of fan_in, fan_out`);
  return calculateFanInAndFanOut(tensor)[mode === 'fan_in' ? 0 : 1];
}

export function uniform_(tensor: Tensor, a = 0, b = 1, options: GeneratorOption = {}): Tensor {
  return noGrad(() => tensor.uniform_(a, b, { generator: options.generator ?? null }));
}

export function normal_(tensor: Tensor, mean = 0, std = 1, options: GeneratorOption = {}): Tensor {
  return noGrad(() => tensor.normal_(mean, std, { generator: options.generator ?? null }));
}

export function constant_(tensor: Tensor, value: number): Tensor {
  return noGrad(() => tensor.fill_(value));
}

export function zeros_(tensor: Tensor): Tensor {
  return noGrad(() => tensor.zero_());
}

export function ones_(tensor: Tensor): Tensor {
  return noGrad(() => tensor.fill_(1));
}

export function xavierUniform_(tensor: Tensor, gain = 1, options: GeneratorOption = {}): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(tensor, -a, a, options);
}

export function xavierNormal_(tensor: Tensor, gain = 1, options: GeneratorOption = {}): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  return normal_(tensor, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), options);
}

export interface KaimingOptions extends GeneratorOption {
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

// PyTorch's kaiming initializers leave a zero-element tensor as it is (Conv2d(0, 4, 3) exists).
export function kaimingUniform_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  if (tensor.numel() === 0) return tensor;
  const { a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu' } = options;
  const std = calculateGain(nonlinearity, a) / Math.sqrt(fan(tensor, mode));
  const bound = Math.sqrt(3) * std;
  return uniform_(tensor, -bound, bound, options);
}

export function kaimingNormal_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  if (tensor.numel() === 0) return tensor;
  const { a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu' } = options;
  return normal_(tensor, 0, calculateGain(nonlinearity, a) / Math.sqrt(fan(tensor, mode)), options);
}

/** A (semi-)orthogonal matrix from the QR decomposition of a normal sample, as PyTorch's. */
export function orthogonal_(tensor: Tensor, gain = 1, options: GeneratorOption = {}): Tensor {
  if (tensor.ndim < 2) throw new Error('Only tensors with 2 or more dimensions are supported');
  if (tensor.numel() === 0) return tensor;
  const rows = tensor.size(0);
  const cols = tensor.numel() / rows;
  return noGrad(() => {
    let flat = tensor.newEmpty([rows, cols]).normal_(0, 1, { generator: options.generator ?? null });
    if (rows < cols) flat = flat.t();
    let [q, r] = linalg.qr(flat);
    q = q.mul(r.diag(0).sign());
    if (rows < cols) q = q.t();
    tensor.viewAs(q).copy_(q);
    return tensor.mul_(gain);
  });
}

/** The identity matrix (2-D tensors only), as torch.nn.init.eye_. */
export function eye_(tensor: Tensor): Tensor {
  if (tensor.ndim !== 2) throw new Error('Only tensors with 2 dimensions are supported');
  return noGrad(() => tensor.copy_(eye(tensor.size(0), tensor.size(1))));
}

/** A convolution kernel that passes `groups` groups of channels through unchanged (Dirac delta). */
export function dirac_(tensor: Tensor, groups = 1): Tensor {
  const dims = tensor.ndim;
  if (dims < 3 || dims > 5) throw new Error('Only tensors with 3, 4, or 5 dimensions are supported');
  const sizes = tensor.shape;
  if (sizes[0] % groups !== 0) throw new Error('dim 0 must be divisible by groups');
  const perGroup = sizes[0] / groups;
  const centre = sizes.slice(2).map((s) => Math.floor(s / 2)).join(', ');
  return noGrad(() => {
    tensor.zero_();
    for (let g = 0; g < groups; g++) {
      for (let d = 0; d < Math.min(perGroup, sizes[1]); d++) tensor.set(`${g * perGroup + d}, ${d}, ${centre}`, 1);
    }
    return tensor;
  });
}

/** A normal distribution truncated to [a, b], drawn as PyTorch draws it (inverse CDF of a uniform sample). */
export function truncNormal_(tensor: Tensor, mean = 0, std = 1, a = -2, b = 2, options: GeneratorOption = {}): Tensor {
  // The normal CDF through libtorch's erf, so the bounds are PyTorch's to the last bit.
  const cdf = (x: number) => (1 + (scalar(x / Math.SQRT2, { dtype: float64 }).erf().item() as number)) / 2;
  const lower = cdf((a - mean) / std);
  const upper = cdf((b - mean) / std);
  return noGrad(() => tensor.uniform_(2 * lower - 1, 2 * upper - 1, { generator: options.generator ?? null }).erfinv_().mul_(std * Math.SQRT2).add_(mean).clamp_(a, b));
}

/** N(0, std) with a fraction `sparsity` of each column's entries zeroed (2-D tensors), as torch.nn.init.sparse_. */
export function sparse_(tensor: Tensor, sparsity: number, std = 0.01, options: GeneratorOption = {}): Tensor {
  if (tensor.ndim !== 2) throw new Error('Only tensors with 2 dimensions are supported');
  const [rows, cols] = tensor.shape;
  const numZeros = Math.ceil(sparsity * rows);
  return noGrad(() => {
    tensor.normal_(0, std, { generator: options.generator ?? null });
    // PyTorch draws the zeros' rows from the global generator even when given one.
    for (let col = 0; col < cols; col++) tensor.select(1, col).indexFill_(0, randperm(rows).narrow(0, 0, numZeros), 0);
    return tensor;
  });
}
