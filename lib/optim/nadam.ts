// torch.optim.NAdam: Adam with Nesterov momentum, whose momentum coefficient mu warms up with
// momentumDecay; weight decay as L2 or (decoupledWeightDecay) applied to the parameter.
import type { Tensor } from '../tensor';
import { zerosLike } from '../generated/functions';
import { tensor } from '../creation';
import { float32 } from '../dtype';
import { Optimizer, withDefaults, type ParamGroup, type ParamsLike } from './optimizer';
import { checkAdamFamily } from './adam-family-checks';
import { powi } from './powi';
import { realView } from './real-view';

export interface NAdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  momentumDecay: number;
  decoupledWeightDecay: boolean;
  maximize: boolean;
}

export class NAdam extends Optimizer<NAdamOptions> {
  constructor(params: ParamsLike<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    const defaults = checkAdamFamily(withDefaults('NAdam', {
      lr: 2e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3,
      decoupledWeightDecay: false, maximize: false,
    }, options));
    if (!(defaults.momentumDecay >= 0)) throw new Error(`Invalid momentum_decay value: ${defaults.momentumDecay}`);
    super(params, defaults);
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<NAdamOptions>): void {
    const state = this.stateOf(param);
    if (state.step === undefined) {
      state.step = 0;
      // PyTorch keeps the product of the mus in a float32 scalar tensor; so do we, for its rounding.
      state.muProduct = this.keep(tensor(1.0, { dtype: float32 }));
      state.expAvg = this.keep(zerosLike(param));
      state.expAvgSq = this.keep(zerosLike(param));
    }
    const [beta1, beta2] = group.betas;
    const { lr, eps, weightDecay, momentumDecay } = group;
    let g = group.maximize ? grad.neg() : grad;
    const step = (state.step as number) + 1;
    state.step = step;
    const biasCorrection2 = 1 - powi(beta2, step);

    const p = realView(param);
    g = realView(g);
    if (weightDecay !== 0) {
      if (group.decoupledWeightDecay) p.mul_(1 - lr * weightDecay);
      else g = g.add(p, { alpha: weightDecay });
    }
    const mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentumDecay));
    const muNext = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
    const muProductTensor = state.muProduct as Tensor;
    muProductTensor.mul_(mu);
    const muProduct = muProductTensor.item() as number;

    const expAvg = realView(state.expAvg as Tensor);
    const expAvgSq = realView(state.expAvgSq as Tensor);
    expAvg.lerp_(g, 1 - beta1);
    expAvgSq.mul_(beta2).addcmul_(g, g, { value: 1 - beta2 });
    const denom = expAvgSq.div(biasCorrection2).sqrt();
    const muProductNext = muProduct * muNext;
    denom.add_(eps);
    p.addcdiv_(g, denom, { value: (-lr * (1.0 - mu)) / (1.0 - muProduct) });
    p.addcdiv_(expAvg, denom, { value: (-lr * muNext) / (1.0 - muProductNext) });
  }
}
