// torch.optim.Adadelta: steps scaled by the ratio of running RMS of past updates to running
// RMS of gradients (rho, eps), times lr; weight decay, maximize.
import type { Tensor } from '../tensor';
import { zerosLike } from '../generated/functions';
import { Optimizer, withDefaults, type ParamGroup, type ParamsLike } from './optimizer';
import { realView } from './real-view';

export interface AdadeltaOptions {
  lr: number;
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: ParamsLike<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    const defaults = withDefaults('Adadelta', { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false }, options);
    if (!(defaults.lr >= 0)) throw new Error(`Invalid learning rate: ${defaults.lr}`);
    if (!(defaults.rho >= 0 && defaults.rho <= 1)) throw new Error(`Invalid rho value: ${defaults.rho}`);
    if (!(defaults.eps >= 0)) throw new Error(`Invalid epsilon value: ${defaults.eps}`);
    if (!(defaults.weightDecay >= 0)) throw new Error(`Invalid weight_decay value: ${defaults.weightDecay}`);
    super(params, defaults);
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<AdadeltaOptions>): void {
    const state = this.stateOf(param);
    if (state.step === undefined) {
      state.step = 0;
      state.squareAvg = this.keep(zerosLike(param));
      state.accDelta = this.keep(zerosLike(param));
    }
    state.step = (state.step as number) + 1;
    let g = group.maximize ? grad.neg() : grad;
    if (group.weightDecay !== 0) g = g.add(param, { alpha: group.weightDecay });

    g = realView(g);
    const squareAvg = realView(state.squareAvg as Tensor);
    const accDelta = realView(state.accDelta as Tensor);
    squareAvg.mul_(group.rho).addcmul_(g, g, { value: 1 - group.rho });
    const std = squareAvg.add(group.eps).sqrt_();
    const delta = accDelta.add(group.eps).sqrt_();
    delta.div_(std).mul_(g);
    accDelta.mul_(group.rho).addcmul_(delta, delta, { value: 1 - group.rho });
    realView(param).add_(delta, { alpha: -group.lr });
  }
}
