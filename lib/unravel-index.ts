// torch.unravel_index: flat indices to coordinates, as PyTorch computes it in Python (one
// floor division by each dimension's stride, then a remainder by its size).
import { Tensor } from './tensor';
import { int64 } from './dtype';
import { tensor } from './creation';
import { unbind } from './generated/functions';

/** The coordinates of flat `indices` in a tensor of `shape`: one int64 tensor per dimension. */
export function unravelIndex(indices: Tensor | number, shape: number | number[]): Tensor[] {
  const flat = indices instanceof Tensor ? indices : tensor(indices, { dtype: int64 });
  if (flat.isFloatingPoint() || flat.isComplex() || flat.dtype.name === 'bool') {
    throw new TypeError(`expected 'indices' to be integer dtype, but got ${flat.dtype}`);
  }
  const dims = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(dims) || !dims.every(Number.isInteger)) {
    throw new TypeError(`expected 'shape' to be int or sequence of ints, but got ${JSON.stringify(shape)}`);
  }
  if (dims.some((d) => d < 0)) throw new RangeError(`'shape' cannot have negative values, but got (${dims.join(', ')}${dims.length === 1 ? ',' : ''})`);
  const strides = dims.map((_, i) => dims.slice(i + 1).reduce((a, b) => a * b, 1));
  const device = flat.device;
  const coords = flat.unsqueeze(-1).floorDivide(tensor(strides, { dtype: int64, device })).remainder(tensor(dims, { dtype: int64, device }));
  return unbind(coords, -1);
}
