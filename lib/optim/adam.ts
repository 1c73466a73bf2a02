// torch.optim.Adam: first and second moment estimates with bias correction, AMSGrad, maximize,
// and weight decay either added to the gradient (L2) or, with decoupledWeightDecay, applied to
// the parameter directly (which is AdamW).
import type { Tensor } from '../tensor';
import { zerosLike } from '../generated/functions';
import { Optimizer, withDefaults, type ParamGroup, type ParamsLike } from './optimizer';
import { powi } from './powi';
import { realView } from './real-view';
import { checkAdamFamily } from './adam-family-checks';

export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
  decoupledWeightDecay: boolean;
}

export class Adam extends Optimizer<AdamOptions> {
  /** Where a subclass's defaults differ from Adam's (AdamW's weight decay). */
  protected static readonly defaultOverrides: Partial<AdamOptions> = {};

  constructor(params: ParamsLike<AdamOptions>, options: Partial<AdamOptions> = {}) {
    const cls = new.target as typeof Adam;
    super(params, Adam.checked(cls.name, options, cls.defaultOverrides));
  }

  /** The defaults with `options` applied and validated. */
  private static checked(name: string, options: Partial<AdamOptions>, overrides: Partial<AdamOptions>): AdamOptions {
    return checkAdamFamily(withDefaults(name, {
      lr: 1e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false,
      decoupledWeightDecay: false, ...overrides,
    }, options));
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<AdamOptions>): void {
    const state = this.stateOf(param);
    if (state.step === undefined) {
      state.step = 0;
      state.expAvg = this.keep(zerosLike(param));
      state.expAvgSq = this.keep(zerosLike(param));
      if (group.amsgrad) state.maxExpAvgSq = this.keep(zerosLike(param));
    }
    const [beta1, beta2] = group.betas;
    const { lr, eps, weightDecay } = group;
    let g = group.maximize ? grad.neg() : grad;
    const step = (state.step as number) + 1;
    state.step = step;

    if (weightDecay !== 0) {
      if (group.decoupledWeightDecay) param.mul_(1 - lr * weightDecay);
      else g = g.add(param, { alpha: weightDecay });
    }
    const p = realView(param);
    g = realView(g);
    const expAvg = realView(state.expAvg as Tensor);
    const expAvgSq = realView(state.expAvgSq as Tensor);

    expAvg.lerp_(g, 1 - beta1);
    expAvgSq.mul_(beta2).addcmul_(g, g, { value: 1 - beta2 });

    const biasCorrection1 = 1 - powi(beta1, step);
    const biasCorrection2 = 1 - powi(beta2, step);
    const stepSize = lr / biasCorrection1;
    const biasCorrection2Sqrt = Math.sqrt(biasCorrection2);

    let denom: Tensor;
    if (group.amsgrad) {
      if (state.maxExpAvgSq === undefined) {
        throw new Error('Adam: amsgrad was switched on after the first step; the state has no maxExpAvgSq');
      }
      const maxExpAvgSq = realView(state.maxExpAvgSq as Tensor);
      maxExpAvgSq.copy_(maxExpAvgSq.maximum(expAvgSq));
      denom = maxExpAvgSq.sqrt().div(biasCorrection2Sqrt).add_(eps);
    } else {
      denom = expAvgSq.sqrt().div(biasCorrection2Sqrt).add_(eps);
    }
    p.addcdiv_(expAvg, denom, { value: -stepSize });
  }
}
