// torch.optim.RMSprop: divides the gradient by a running root mean square of past gradients;
// centered (subtracts the squared running mean), momentum, weight decay, maximize.
import type { Tensor } from '../tensor';
import { zerosLike } from '../generated/functions';
import { Optimizer, withDefaults, type ParamGroup, type ParamsLike } from './optimizer';
import { realView } from './real-view';

export interface RMSpropOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: ParamsLike<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    const defaults = withDefaults('RMSprop', { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false }, options);
    if (!(defaults.lr >= 0)) throw new Error(`Invalid learning rate: ${defaults.lr}`);
    if (!(defaults.eps >= 0)) throw new Error(`Invalid epsilon value: ${defaults.eps}`);
    if (!(defaults.momentum >= 0)) throw new Error(`Invalid momentum value: ${defaults.momentum}`);
    if (!(defaults.weightDecay >= 0)) throw new Error(`Invalid weight_decay value: ${defaults.weightDecay}`);
    if (!(defaults.alpha >= 0)) throw new Error(`Invalid alpha value: ${defaults.alpha}`);
    super(params, defaults);
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<RMSpropOptions>): void {
    const state = this.stateOf(param);
    if (state.step === undefined) {
      state.step = 0;
      state.squareAvg = this.keep(zerosLike(param));
      if (group.momentum > 0) state.momentumBuffer = this.keep(zerosLike(param));
      if (group.centered) state.gradAvg = this.keep(zerosLike(param));
    }
    let g = group.maximize ? grad.neg() : grad;
    state.step = (state.step as number) + 1;
    if (group.weightDecay !== 0) g = g.add(param, { alpha: group.weightDecay });

    const p = realView(param);
    g = realView(g);
    const squareAvg = realView(state.squareAvg as Tensor);
    squareAvg.mul_(group.alpha).addcmul_(g, g, { value: 1 - group.alpha });

    let avg: Tensor;
    if (group.centered) {
      const gradAvg = realView(required(state, 'gradAvg', 'centered'));
      gradAvg.lerp_(g, 1 - group.alpha);
      avg = squareAvg.addcmul(gradAvg, gradAvg, { value: -1 }).sqrt_();
    } else {
      avg = squareAvg.sqrt();
    }
    avg.add_(group.eps);

    if (group.momentum > 0) {
      const buf = realView(required(state, 'momentumBuffer', 'momentum'));
      buf.mul_(group.momentum).addcdiv_(g, avg);
      p.add_(buf, { alpha: -group.lr });
    } else {
      p.addcdiv_(g, avg, { value: -group.lr });
    }
  }
}

function required(state: Record<string, unknown>, key: string, option: string): Tensor {
  const value = state[key];
  if (value === undefined) throw new Error(`RMSprop: ${option} was switched on after the first step; the state has no ${key}`);
  return value as Tensor;
}
