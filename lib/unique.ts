// torch.unique / Tensor.unique / uniqueConsecutive: Python-level wrappers in PyTorch too
// (over aten::_unique2, unique_dim, unique_consecutive), returning a tensor, or a list when
// inverse indices or counts are asked for.
import type { Tensor } from './tensor';
import { atenOp } from './ops/aten';

export interface UniqueOptions {
  sorted?: boolean;
  returnInverse?: boolean;
  returnCounts?: boolean;
  dim?: number | null;
}

function pick(results: Tensor[], returnInverse: boolean, returnCounts: boolean): Tensor | Tensor[] {
  const [output, inverse, counts] = results;
  if (!returnInverse && !returnCounts) return output;
  return [output, ...(returnInverse ? [inverse] : []), ...(returnCounts ? [counts] : [])];
}

export function unique(input: Tensor, options: UniqueOptions = {}): Tensor | Tensor[] {
  const { sorted = true, returnInverse = false, returnCounts = false, dim = null } = options;
  const results = (dim === null
    ? atenOp('_unique2')!(input, sorted, returnInverse, returnCounts)
    : atenOp('unique_dim')!(input, dim, sorted, returnInverse, returnCounts)) as Tensor[];
  return pick(results, returnInverse, returnCounts);
}

export function uniqueConsecutive(input: Tensor, options: Omit<UniqueOptions, 'sorted'> = {}): Tensor | Tensor[] {
  const { returnInverse = false, returnCounts = false, dim = null } = options;
  const results = atenOp('unique_consecutive')!(input, returnInverse, returnCounts, dim) as Tensor[];
  return pick(results, returnInverse, returnCounts);
}
