// torch.optim.SGD: momentum, dampening, Nesterov, weight decay, maximize (PyTorch's rule).
import type { Tensor } from '../tensor';
import { Optimizer, type ParamGroup, type ParamsLike, type OptimizerState } from './optimizer';

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
    const defaults = { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...options };
    if (defaults.lr < 0) throw new Error(`Invalid learning rate: ${defaults.lr}`);
    if (defaults.nesterov && (defaults.momentum <= 0 || defaults.dampening !== 0)) {
      throw new Error('Nesterov momentum requires a momentum and zero dampening');
    }
    super(params, defaults);
  }

  protected update(p: Tensor, grad: Tensor, state: OptimizerState, g: ParamGroup<SGDOptions>): void {
    let d = g.maximize ? grad.neg() : grad;
    if (g.weightDecay !== 0) d = d.add(p, { alpha: g.weightDecay });
    if (g.momentum !== 0) {
      let buf = state.momentumBuffer as Tensor | undefined;
      if (!buf) state.momentumBuffer = buf = d.clone().detach();
      else buf.mul_(g.momentum).add_(d, { alpha: 1 - g.dampening });
      d = g.nesterov ? d.add(buf, { alpha: g.momentum }) : buf;
    }
    p.add_(d, { alpha: -g.lr });
  }
}
