// torch.nn.init: in-place initializers with PyTorch's formulas and random-number use, so a
// layer made after torch.manualSeed(s) holds the same values as in Python.
import type { Tensor } from '../tensor';
import { noGrad } from '../autograd';
import { linalg } from '../generated/functions';

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

const fan = (tensor: Tensor, mode: FanMode) => calculateFanInAndFanOut(tensor)[mode === 'fan_in' ? 0 : 1];

export function uniform_(tensor: Tensor, a = 0, b = 1): Tensor {
  return noGrad(() => tensor.uniform_(a, b));
}

export function normal_(tensor: Tensor, mean = 0, std = 1): Tensor {
  return noGrad(() => tensor.normal_(mean, std));
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

export function xavierUniform_(tensor: Tensor, gain = 1): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(tensor, -a, a);
}

export function xavierNormal_(tensor: Tensor, gain = 1): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  return normal_(tensor, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}

export interface KaimingOptions {
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

export function kaimingUniform_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  const { a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu' } = options;
  const std = calculateGain(nonlinearity, a) / Math.sqrt(fan(tensor, mode));
  const bound = Math.sqrt(3) * std;
  return uniform_(tensor, -bound, bound);
}

export function kaimingNormal_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  const { a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu' } = options;
  return normal_(tensor, 0, calculateGain(nonlinearity, a) / Math.sqrt(fan(tensor, mode)));
}

/** A (semi-)orthogonal matrix from the QR decomposition of a normal sample, as PyTorch's. */
export function orthogonal_(tensor: Tensor, gain = 1): Tensor {
  if (tensor.ndim < 2) throw new Error('Only tensors with 2 or more dimensions are supported');
  if (tensor.numel() === 0) return tensor;
  const rows = tensor.size(0);
  const cols = tensor.numel() / rows;
  return noGrad(() => {
    let flat = tensor.newEmpty([rows, cols]).normal_(0, 1);
    if (rows < cols) flat = flat.t();
    let [q, r] = linalg.qr(flat);
    q = q.mul(r.diag(0).sign());
    if (rows < cols) q = q.t();
    tensor.viewAs(q).copy_(q);
    return tensor.mul_(gain);
  });
}
