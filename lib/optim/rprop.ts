// torch.optim.Rprop: resilient backpropagation. Each element has its own step size, grown by
// etas[1] while the gradient keeps its sign and shrunk by etas[0] when it flips (that step is
// then skipped); only the gradient's sign moves the parameter.
import type { Tensor } from '../tensor';
import { zerosLike } from '../generated/functions';
import { Optimizer, withDefaults, type ParamGroup, type ParamsLike } from './optimizer';
import { realView } from './real-view';

export interface RpropOptions {
  lr: number;
  /** The multiplicative decrease and increase factors (etaminus, etaplus). */
  etas: [number, number];
  /** The smallest and largest step size allowed. */
  stepSizes: [number, number];
  maximize: boolean;
}

export class Rprop extends Optimizer<RpropOptions> {
  constructor(params: ParamsLike<RpropOptions>, options: Partial<RpropOptions> = {}) {
    const defaults = withDefaults('Rprop', {
      lr: 1e-2, etas: [0.5, 1.2] as [number, number], stepSizes: [1e-6, 50] as [number, number], maximize: false,
    }, options);
    if (!(defaults.lr >= 0)) throw new Error(`Invalid learning rate: ${defaults.lr}`);
    if (!Array.isArray(defaults.etas) || defaults.etas.length !== 2) throw new Error('etas must be a pair [etaminus, etaplus]');
    if (!Array.isArray(defaults.stepSizes) || defaults.stepSizes.length !== 2) throw new Error('stepSizes must be a pair [min, max]');
    const [etaminus, etaplus] = defaults.etas;
    if (!(etaminus > 0 && etaminus < 1 && etaplus > 1)) throw new Error(`Invalid eta values: ${etaminus}, ${etaplus}`);
    defaults.etas = [etaminus, etaplus];
    defaults.stepSizes = [defaults.stepSizes[0], defaults.stepSizes[1]];
    super(params, defaults);
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<RpropOptions>): void {
    const state = this.stateOf(param);
    if (state.step === undefined) {
      state.step = 0;
      state.prev = this.keep(zerosLike(param));
      // A complex parameter starts at complex(lr, lr), as in PyTorch.
      const stepSize = zerosLike(param);
      realView(stepSize).fill_(group.lr);
      state.stepSize = this.keep(stepSize);
    }
    const [etaminus, etaplus] = group.etas;
    const [stepSizeMin, stepSizeMax] = group.stepSizes;
    state.step = (state.step as number) + 1;
    let g = realView(group.maximize ? grad.neg() : grad);
    const p = realView(param);
    const prev = realView(state.prev as Tensor);
    const stepSize = realView(state.stepSize as Tensor);

    const sign = g.mul(prev).sign();
    sign.maskedFill_(sign.gt(0), etaplus);
    sign.maskedFill_(sign.lt(0), etaminus);
    sign.maskedFill_(sign.eq(0), 1);
    stepSize.mul_(sign).clamp_(stepSizeMin, stepSizeMax);
    // Where the sign flipped, no step now, and no sign to compare with next time.
    g = g.clone();
    g.maskedFill_(sign.eq(etaminus), 0);
    p.addcmul_(g.sign(), stepSize, { value: -1 });
    prev.copy_(g);
  }
}
