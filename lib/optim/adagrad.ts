// torch.optim.Adagrad: per-element rates shrinking with the sum of squared gradients; lrDecay,
// weight decay, an initial accumulator value, maximize. State exists from construction on.
import type { Tensor } from '../tensor';
import { zerosLike } from '../generated/functions';
import { Optimizer, withDefaults, type ParamGroup, type ParamsLike } from './optimizer';
import { realView } from './real-view';

export interface AdagradOptions {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: ParamsLike<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    const defaults = withDefaults('Adagrad', { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false }, options);
    if (!(defaults.lr >= 0)) throw new Error(`Invalid learning rate: ${defaults.lr}`);
    if (!(defaults.lrDecay >= 0)) throw new Error(`Invalid lr_decay value: ${defaults.lrDecay}`);
    if (!(defaults.weightDecay >= 0)) throw new Error(`Invalid weight_decay value: ${defaults.weightDecay}`);
    if (!(defaults.initialAccumulatorValue >= 0)) {
      throw new Error(`Invalid initial_accumulator_value value: ${defaults.initialAccumulatorValue}`);
    }
    if (!(defaults.eps >= 0)) throw new Error(`Invalid epsilon value: ${defaults.eps}`);
    super(params, defaults);
    // PyTorch fills the state of the constructor's groups now, with the default initial value.
    for (const group of this.paramGroups) for (const p of group.params) this.initState(p, defaults.initialAccumulatorValue);
  }

  private initState(param: Tensor, initialValue: number): void {
    const state = this.stateOf(param);
    state.step = 0;
    // A complex parameter starts at complex(v, v), as PyTorch does: both parts of its real view.
    const sum = zerosLike(param);
    realView(sum).fill_(initialValue);
    state.sum = this.keep(sum);
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<AdagradOptions>): void {
    // A group added after construction gets its state on its first step (PyTorch would fail).
    if (this.state.get(param)?.sum === undefined) this.initState(param, group.initialAccumulatorValue);
    const state = this.stateOf(param);
    const step = (state.step as number) + 1;
    state.step = step;
    let g = group.maximize ? grad.neg() : grad;
    if (group.weightDecay !== 0) g = g.add(param, { alpha: group.weightDecay });
    const clr = group.lr / (1 + (step - 1) * group.lrDecay);

    const p = realView(param);
    g = realView(g);
    const sum = realView(state.sum as Tensor);
    sum.addcmul_(g, g, { value: 1 });
    const std = sum.sqrt().add_(group.eps);
    p.addcdiv_(g, std, { value: -clr });
  }
}
