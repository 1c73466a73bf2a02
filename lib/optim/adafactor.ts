// torch.optim.Adafactor: Adam-like steps whose second moment of a matrix is kept factored (one
// running mean per row and one per column), with a step-dependent beta2 (step ** beta2Decay),
// a relative step size (scaled by the parameter's RMS) and update clipping by d.
import type { Tensor } from '../tensor';
import { zerosLike } from '../generated/functions';
import { Optimizer, withDefaults, type ParamGroup, type ParamsLike } from './optimizer';

export interface AdafactorOptions {
  lr: number;
  beta2Decay: number;
  /** eps1 (added to the second moment; null: the dtype's machine epsilon) and eps2 (the smallest relative step). */
  eps: [number | null, number];
  d: number;
  weightDecay: number;
  maximize: boolean;
}

// torch.finfo(dtype).eps, for eps1 = null.
const MACHINE_EPSILON: Record<string, number> = { float64: 2 ** -52, float32: 2 ** -23, float16: 2 ** -10, bfloat16: 2 ** -7 };

export class Adafactor extends Optimizer<AdafactorOptions> {
  constructor(params: ParamsLike<AdafactorOptions>, options: Partial<AdafactorOptions> = {}) {
    const defaults = withDefaults('Adafactor', {
      lr: 1e-2, beta2Decay: -0.8, eps: [null, 1e-3] as [number | null, number], d: 1.0, weightDecay: 0.0, maximize: false,
    }, options);
    if (!(defaults.lr >= 0)) throw new Error(`Learning rate should be >= 0 but is: ${defaults.lr}`);
    if (!(defaults.beta2Decay <= 0)) throw new Error(`beta2_decay should be <= 0 but is: ${defaults.beta2Decay}`);
    if (!Array.isArray(defaults.eps) || defaults.eps.length !== 2) throw new Error('eps must be a pair [eps1 or null, eps2]');
    const [eps1, eps2] = defaults.eps;
    if (eps1 !== null && !(eps1 >= 0)) throw new Error(`epsilon1 should be >= 0 but is: ${eps1}`);
    if (!(eps2 >= 0)) throw new Error(`epsilon2 should be >= 0 but is: ${eps2}`);
    if (!(defaults.d >= 1)) throw new Error(`Clipping threshold d should be >= 1 but is: ${defaults.d}`);
    if (!(defaults.weightDecay >= 0)) throw new Error(`weight_decay should be >= 0 but is: ${defaults.weightDecay}`);
    defaults.eps = [eps1, eps2];
    super(params, defaults);
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<AdafactorOptions>): void {
    if (param.isComplex()) throw new Error('Adafactor does not support complex parameters');
    const state = this.stateOf(param);
    if (state.step === undefined) {
      state.step = 0;
      if (grad.dim() > 1) {
        const rowShape = [...grad.shape];
        rowShape[rowShape.length - 1] = 1;
        state.rowVar = this.keep(grad.newZeros(rowShape));
        const colShape = [...grad.shape];
        colShape[colShape.length - 2] = 1;
        state.colVar = this.keep(grad.newZeros(colShape));
      } else {
        state.variance = this.keep(zerosLike(grad));
      }
    }
    const { lr, beta2Decay, d, weightDecay } = group;
    const eps1 = group.eps[0] ?? MACHINE_EPSILON[param.dtype.name] ?? 2 ** -23;
    const eps2 = group.eps[1];
    const g = group.maximize ? grad.neg() : grad;
    const step = (state.step as number) + 1;
    state.step = step;
    const oneMinusBeta2 = step ** beta2Decay;
    const rho = Math.min(lr, 1 / step ** 0.5);
    const alpha = Math.max(eps2, (param.norm(2).item() as number) / param.numel() ** 0.5) * rho;
    if (weightDecay !== 0) param.mul_(1 - lr * weightDecay);

    let varEstimate: Tensor;
    if (g.dim() > 1) {
      const rowVar = state.rowVar as Tensor;
      const colVar = state.colVar as Tensor;
      if (rowVar === undefined || colVar === undefined) throw new Error('Adafactor: the state has no rowVar and colVar for a matrix');
      const rowMean = g.norm(2, [-1], true).square_().div_(g.size(-1));
      rowVar.lerp_(rowMean, oneMinusBeta2);
      const colMean = g.norm(2, [-2], true).square_().div_(g.size(-2));
      colVar.lerp_(colMean, oneMinusBeta2);
      varEstimate = rowVar.matmul(colVar);
      varEstimate.div_(rowVar.mean([-2], true).clamp_({ min: eps1 }));
    } else {
      const variance = state.variance as Tensor;
      if (variance === undefined) throw new Error('Adafactor: the state has no variance for a vector');
      variance.lerp_(g.mul(g), oneMinusBeta2);
      varEstimate = variance.clone();
    }
    const update = varEstimate.clamp_({ min: eps1 * eps1 }).rsqrt_();
    update.mul_(g);
    const denom = Math.max(1.0, (update.norm(2).item() as number) / (update.numel() ** 0.5 * d));
    param.add_(update, { alpha: -alpha / denom });
  }
}
