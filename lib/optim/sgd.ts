// torch.optim.SGD: stochastic gradient descent with momentum, dampening, Nesterov momentum,
// weight decay (L2, added to the gradient) and maximize, as PyTorch's single-tensor loop does it.
import type { Tensor } from '../tensor';
import { Optimizer, withDefaults, type ParamGroup, type ParamsLike } from './optimizer';

export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

export class SGD extends Optimizer<SGDOptions> {
  constructor(params: ParamsLike<SGDOptions>, options: Partial<SGDOptions> = {}) {
    const defaults = withDefaults('SGD', { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false }, options);
    if (!(defaults.lr >= 0)) throw new Error(`Invalid learning rate: ${defaults.lr}`);
    if (defaults.momentum < 0) throw new Error(`Invalid momentum value: ${defaults.momentum}`);
    if (defaults.weightDecay < 0) throw new Error(`Invalid weight_decay value: ${defaults.weightDecay}`);
    if (defaults.nesterov && (defaults.momentum <= 0 || defaults.dampening !== 0)) {
      throw new Error('Nesterov momentum requires a momentum and zero dampening');
    }
    super(params, defaults);
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<SGDOptions>): void {
    let g = group.maximize ? grad.neg() : grad;
    if (group.weightDecay !== 0) g = g.add(param, { alpha: group.weightDecay });
    if (group.momentum !== 0) {
      const state = this.stateOf(param);
      let buf = state.momentumBuffer as Tensor | undefined;
      if (buf === undefined) {
        buf = this.keep(g.detach().clone());
        state.momentumBuffer = buf;
      } else {
        buf.mul_(group.momentum).add_(g, { alpha: 1 - group.dampening });
      }
      g = group.nesterov ? g.add(buf, { alpha: group.momentum }) : buf;
    }
    param.add_(g, { alpha: -group.lr });
  }
}
