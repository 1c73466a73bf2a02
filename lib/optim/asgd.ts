// torch.optim.ASGD: averaged SGD. Steps of size eta (decaying as lr / (1 + lambd * lr * t)^alpha)
// with a decay term lambd, and a running average `ax` of the iterates that starts averaging
// after t0 steps (mu = 1 / max(1, t - t0)).
import type { Tensor } from '../tensor';
import { zerosLike } from '../generated/functions';
import { tensor } from '../creation';
import { float32 } from '../dtype';
import { Optimizer, withDefaults, type ParamGroup, type ParamsLike } from './optimizer';
import { realView } from './real-view';

export interface ASGDOptions {
  lr: number;
  lambd: number;
  alpha: number;
  t0: number;
  weightDecay: number;
  maximize: boolean;
}

export class ASGD extends Optimizer<ASGDOptions> {
  constructor(params: ParamsLike<ASGDOptions>, options: Partial<ASGDOptions> = {}) {
    const defaults = withDefaults('ASGD', { lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false }, options);
    if (!(defaults.lr >= 0)) throw new Error(`Invalid learning rate: ${defaults.lr}`);
    if (!(defaults.weightDecay >= 0)) throw new Error(`Invalid weight_decay value: ${defaults.weightDecay}`);
    super(params, defaults);
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<ASGDOptions>): void {
    const state = this.stateOf(param);
    if (state.step === undefined) {
      state.step = 0;
      // eta and mu are float32 scalar tensors in PyTorch; their rounding shows in the steps.
      state.eta = this.keep(tensor(group.lr, { dtype: float32 }));
      state.mu = this.keep(tensor(1.0, { dtype: float32 }));
      state.ax = this.keep(zerosLike(param));
    }
    const { lr, lambd, alpha, t0, weightDecay } = group;
    const eta = state.eta as Tensor;
    const mu = state.mu as Tensor;
    let g = realView(group.maximize ? grad.neg() : grad);
    const p = realView(param);
    const ax = realView(state.ax as Tensor);
    const step = (state.step as number) + 1;
    state.step = step;
    if (weightDecay !== 0) g = g.add(p, { alpha: weightDecay });

    const etaValue = eta.item() as number;
    p.mul_(1 - lambd * etaValue);
    p.add_(g, { alpha: -etaValue });
    if ((mu.item() as number) !== 1) ax.add_(p.sub(ax).mul_(mu));
    else ax.copy_(p);
    eta.fill_(lr / (1 + lambd * lr * step) ** alpha);
    mu.fill_(1 / Math.max(1, step - t0));
  }
}
