// PairwiseDistance and CosineSimilarity: nn.functional's distances as modules (PyTorch prints no options).
import type { Tensor } from '../../tensor';
import { Module } from '../module';
import * as F from '../functional';

/** The p-norm distance of each pair of rows: ||x1 - x2 + eps||_p. */
export class PairwiseDistance extends Module {
  readonly norm: number;
  readonly eps: number;
  readonly keepdim: boolean;

  constructor(options: { p?: number; eps?: number; keepdim?: boolean } = {}) {
    super();
    const { p = 2, eps = 1e-6, keepdim = false } = options;
    [this.norm, this.eps, this.keepdim] = [p, eps, keepdim];
  }

  override forward(x1: Tensor, x2: Tensor): Tensor { return F.pairwiseDistance(x1, x2, this.norm, this.eps, this.keepdim); }
}

/** The cosine of the angle between x1 and x2 along dim. */
export class CosineSimilarity extends Module {
  readonly dim: number;
  readonly eps: number;

  constructor(options: { dim?: number; eps?: number } = {}) {
    super();
    const { dim = 1, eps = 1e-8 } = options;
    [this.dim, this.eps] = [dim, eps];
  }

  override forward(x1: Tensor, x2: Tensor): Tensor { return F.cosineSimilarity(x1, x2, this.dim, this.eps); }
}
