// torch.lu / Tensor.lu: the LU factorization under its pre-torch.linalg name, kept by PyTorch
// as a Python wrapper over aten::_lu_with_info (what torch.linalg.lu_factor_ex also computes).
import type { Tensor } from './tensor';
import { atenOp } from './ops/aten';
import { expectBoolean, expectOptions } from './ops/validate';

export interface LuOptions {
  /** Partial pivoting (default true; false is CUDA only, as in PyTorch). */
  pivot?: boolean;
  /** Also return the infos tensor, and do not throw for a singular matrix (default false). */
  getInfos?: boolean;
}

/** [LU, pivots], or with getInfos [LU, pivots, infos]. */
export function lu(A: Tensor, options: LuOptions = {}): [Tensor, Tensor] | [Tensor, Tensor, Tensor] {
  expectOptions('lu(options)', options);
  const { pivot = true, getInfos = false } = options;
  expectBoolean('lu(pivot)', pivot);
  expectBoolean('lu(getInfos)', getInfos);
  const [factors, pivots, infos] = atenOp('_lu_with_info')!(A, pivot, !getInfos) as Tensor[];
  return getInfos ? [factors, pivots, infos] : [factors, pivots];
}
