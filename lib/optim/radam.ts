// torch.optim.RAdam: Adam whose adaptive rate is switched on, and rectified, once the variance
// of the second-moment estimate is tractable (rho_t > 5); before that, momentum SGD.
import type { Tensor } from '../tensor';
import { zerosLike } from '../generated/functions';
import { Optimizer, withDefaults, type ParamGroup, type ParamsLike } from './optimizer';
import { checkAdamFamily } from './adam-family-checks';
import { powi } from './powi';
import { realView } from './real-view';

export interface RAdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  decoupledWeightDecay: boolean;
  maximize: boolean;
}

export class RAdam extends Optimizer<RAdamOptions> {
  constructor(params: ParamsLike<RAdamOptions>, options: Partial<RAdamOptions> = {}) {
    super(params, checkAdamFamily(withDefaults('RAdam', {
      lr: 1e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, maximize: false,
    }, options)));
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<RAdamOptions>): void {
    const state = this.stateOf(param);
    if (state.step === undefined) {
      state.step = 0;
      state.expAvg = this.keep(zerosLike(param));
      state.expAvgSq = this.keep(zerosLike(param));
    }
    const [beta1, beta2] = group.betas;
    const { lr, eps, weightDecay } = group;
    let g = group.maximize ? grad.neg() : grad;
    const step = (state.step as number) + 1;
    state.step = step;

    const p = realView(param);
    g = realView(g);
    if (weightDecay !== 0) {
      if (group.decoupledWeightDecay) p.mul_(1 - lr * weightDecay);
      else g = g.add(p, { alpha: weightDecay });
    }
    const expAvg = realView(state.expAvg as Tensor);
    const expAvgSq = realView(state.expAvgSq as Tensor);
    expAvg.lerp_(g, 1 - beta1);
    expAvgSq.mul_(beta2).addcmul_(g, g, { value: 1 - beta2 });

    const biasCorrection1 = 1 - powi(beta1, step);
    const biasCorrection2 = 1 - powi(beta2, step);
    const biasCorrectedExpAvg = expAvg.div(biasCorrection1);
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * step * powi(beta2, step)) / biasCorrection2;
    if (rhoT > 5.0) {
      const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      // Python's float / tensor is tensor.reciprocal() * float.
      const adaptiveLr = expAvgSq.sqrt().add_(eps).reciprocal().mul(Math.sqrt(biasCorrection2));
      p.add_(biasCorrectedExpAvg.mul(lr).mul(adaptiveLr).mul(rect), { alpha: -1.0 });
    } else {
      p.add_(biasCorrectedExpAvg.mul(lr), { alpha: -1.0 });
    }
  }
}
