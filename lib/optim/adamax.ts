// torch.optim.Adamax: Adam with the infinity norm: the second moment is a decaying running
// maximum of the gradient's magnitude (plus eps).
import type { Tensor } from '../tensor';
import { maximum, zerosLike } from '../generated/functions';
import { Optimizer, withDefaults, type ParamGroup, type ParamsLike } from './optimizer';
import { checkAdamFamily } from './adam-family-checks';
import { powi } from './powi';
import { realView } from './real-view';

export interface AdamaxOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: ParamsLike<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    super(params, checkAdamFamily(withDefaults('Adamax', {
      lr: 2e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0, maximize: false,
    }, options)));
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<AdamaxOptions>): void {
    const state = this.stateOf(param);
    if (state.step === undefined) {
      state.step = 0;
      state.expAvg = this.keep(zerosLike(param));
      state.expInf = this.keep(zerosLike(param));
    }
    const [beta1, beta2] = group.betas;
    let g = group.maximize ? grad.neg() : grad;
    const step = (state.step as number) + 1;
    state.step = step;
    if (group.weightDecay !== 0) g = g.add(param, { alpha: group.weightDecay });

    const p = realView(param);
    g = realView(g);
    const expAvg = realView(state.expAvg as Tensor);
    const expInf = realView(state.expInf as Tensor);
    expAvg.lerp_(g, 1 - beta1);
    expInf.mul_(beta2);
    expInf.copy_(maximum(expInf, g.abs().add_(group.eps)) as Tensor);
    const clr = group.lr / (1 - powi(beta1, step));
    p.addcdiv_(expAvg, expInf, { value: -clr });
  }
}
