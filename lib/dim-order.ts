// Tensor.dim_order: the order of the dimensions in memory, outermost first, as PyTorch computes
// it in Python (torch._prims_common.compute_elementwise_output_logical_to_physical_perm for one
// tensor: contiguous and channels-last shortcuts, then an insertion sort by stride in which a
// stride of 0 or a tie on size leaves the order alone).
import type { Tensor } from './tensor';
import type { MemoryFormat } from './ops/overload';

const UNIQUE = 'The tensor does not have unique dim order, or cannot map to exact one of the given memory formats.';

/** With ambiguityCheck true (or memory formats to tell it apart), an order that is not unique throws. */
export function dimOrder(t: Tensor, ambiguityCheck: boolean | MemoryFormat[] = false): number[] {
  if (typeof ambiguityCheck !== 'boolean' && !Array.isArray(ambiguityCheck)) {
    throw new TypeError('ambiguity_check must be bool or list of torch.memory_format');
  }
  const sizes = t.shape;
  const strides = t.stride();
  const ndim = sizes.length;
  const checkMultiple = typeof ambiguityCheck === 'boolean' ? ambiguityCheck : true;
  const formats = Array.isArray(ambiguityCheck) ? ambiguityCheck : [];
  const several = strides.some((s, i) => i > 0 && strides[i - 1] === s) || sizes.some((s) => s === 1);
  if (checkMultiple && several && formats.filter((f) => t.isContiguous(f)).length !== 1) throw new Error(UNIQUE);

  const range = Array.from({ length: ndim }, (_, i) => i);
  if (ndim <= 1) return range;
  const contiguous = t.isContiguous();
  const channelsLast = ndim === 4 && t.isContiguous('channels_last');
  if (contiguous && !channelsLast) return range;
  if (channelsLast && !contiguous) return [0, ...range.slice(2), 1];

  const ge = (a: number, b: number) => b === 0 || (a !== 0 && (a >= b || a % b === 0));
  // > 0: dimension a lies inside b in memory (swap them in the reversed order); < 0: outside.
  const shouldSwap = (a: number, b: number): number => {
    const [sa, sb] = [strides[a], strides[b]];
    if (sa === 0 || sb === 0) return 0;
    if (sa === sb) return ge(sizes[b], sizes[a]) ? 0 : 1;
    if (ge(sb, sa)) return -1;
    return ge(sa, sb) ? 1 : 0;
  };
  const perm = [...range].reverse();
  for (let i = 1; i < ndim; i++) {
    let dim1 = i;
    for (let dim0 = i - 1; dim0 >= 0; dim0--) {
      const order = shouldSwap(perm[dim0], perm[dim1]);
      if (order > 0) {
        [perm[dim0], perm[dim1]] = [perm[dim1], perm[dim0]];
        dim1 = dim0;
      } else if (order < 0) break;
    }
  }
  const check = Array.isArray(ambiguityCheck) ? ambiguityCheck.length > 0 : ambiguityCheck;
  if (check && perm.some((p, i) => i + 1 < ndim && shouldSwap(p, perm[i + 1]) !== -1)) {
    throw new Error('The tensor does not have unique dim order.');
  }
  return perm.reverse();
}
