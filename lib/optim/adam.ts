// torch.optim.Adam and AdamW (decoupled weight decay), with amsgrad and maximize.
import type { Tensor } from '../tensor';
import { zerosLike, maximum } from '../generated/functions';
import { Optimizer, type ParamGroup, type ParamsLike, type OptimizerState } from './optimizer';

export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

export class Adam extends Optimizer<AdamOptions> {
  protected readonly decoupled: boolean = false;

  constructor(params: ParamsLike<AdamOptions>, options: Partial<AdamOptions> = {}, defaultWeightDecay = 0) {
    const defaults = { lr: 1e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: defaultWeightDecay,
      amsgrad: false, maximize: false, ...options };
    if (defaults.lr < 0) throw new Error(`Invalid learning rate: ${defaults.lr}`);
    if (defaults.eps < 0) throw new Error(`Invalid epsilon value: ${defaults.eps}`);
    defaults.betas.forEach((b, i) => {
      if (b < 0 || b >= 1) throw new Error(`Invalid beta parameter at index ${i}: ${b}`);
    });
    super(params, defaults);
  }

  protected update(p: Tensor, grad: Tensor, state: OptimizerState, g: ParamGroup<AdamOptions>): void {
    const [beta1, beta2] = g.betas;
    let d = g.maximize ? grad.neg() : grad;
    if (state.step === undefined) {
      state.step = 0;
      state.expAvg = zerosLike(p);
      state.expAvgSq = zerosLike(p);
      if (g.amsgrad) state.maxExpAvgSq = zerosLike(p);
    }
    const step = (state.step as number) + 1;
    state.step = step;
    if (g.weightDecay !== 0) {
      if (this.decoupled) p.mul_(1 - g.lr * g.weightDecay);
      else d = d.add(p, { alpha: g.weightDecay });
    }
    const expAvg = state.expAvg as Tensor;
    const expAvgSq = state.expAvgSq as Tensor;
    expAvg.lerp_(d, 1 - beta1);
    expAvgSq.mul_(beta2).addcmul_(d, d, { value: 1 - beta2 });
    const biasCorrection1 = 1 - beta1 ** step;
    const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** step);
    let second = expAvgSq;
    if (g.amsgrad) {
      state.maxExpAvgSq = second = maximum(state.maxExpAvgSq as Tensor, expAvgSq);
    }
    const denom = second.sqrt().div(biasCorrection2Sqrt).add_(g.eps);
    p.addcdiv_(expAvg, denom, { value: -g.lr / biasCorrection1 });
  }
}

export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;

  constructor(params: ParamsLike<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, options, 1e-2);
  }
}
