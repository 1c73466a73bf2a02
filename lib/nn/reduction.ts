// The reduction argument of every loss, as PyTorch's strings, and aten's enum for it.
export type Reduction = 'none' | 'mean' | 'sum';
export const REDUCTIONS: Record<Reduction, number> = { none: 0, mean: 1, sum: 2 };

export function reductionEnum(reduction: Reduction): number {
  if (!(reduction in REDUCTIONS)) throw new Error(`${String(reduction)} is not a valid value for reduction`);
  return REDUCTIONS[reduction];
}

export interface LossOptions {
  reduction?: Reduction;
}
