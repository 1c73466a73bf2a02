// torch.optim.RMSprop (centered, momentum), Adagrad and Adadelta: running averages of squared gradients.
import type { Tensor } from '../tensor';
import { zerosLike, fullLike } from '../generated/functions';
import { Optimizer, type ParamGroup, type ParamsLike, type OptimizerState } from './optimizer';

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
    super(params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false, ...options });
  }

  protected update(p: Tensor, grad: Tensor, state: OptimizerState, g: ParamGroup<RMSpropOptions>): void {
    let d = g.maximize ? grad.neg() : grad;
    if (state.step === undefined) {
      state.step = 0;
      state.squareAvg = zerosLike(p);
      if (g.momentum > 0) state.momentumBuffer = zerosLike(p);
      if (g.centered) state.gradAvg = zerosLike(p);
    }
    state.step = (state.step as number) + 1;
    if (g.weightDecay !== 0) d = d.add(p, { alpha: g.weightDecay });
    const squareAvg = (state.squareAvg as Tensor).mul_(g.alpha).addcmul_(d, d, { value: 1 - g.alpha });
    let avg: Tensor;
    if (g.centered) {
      const gradAvg = (state.gradAvg as Tensor).lerp_(d, 1 - g.alpha);
      avg = squareAvg.addcmul(gradAvg, gradAvg, { value: -1 }).sqrt_();
    } else {
      avg = squareAvg.sqrt();
    }
    avg.add_(g.eps);
    if (g.momentum > 0) {
      const buf = (state.momentumBuffer as Tensor).mul_(g.momentum).addcdiv_(d, avg);
      p.add_(buf, { alpha: -g.lr });
    } else {
      p.addcdiv_(d, avg, { value: -g.lr });
    }
  }
}

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
    super(params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false, ...options });
  }

  protected update(p: Tensor, grad: Tensor, state: OptimizerState, g: ParamGroup<AdagradOptions>): void {
    let d = g.maximize ? grad.neg() : grad;
    if (state.step === undefined) {
      state.step = 0;
      state.sum = fullLike(p, g.initialAccumulatorValue);
    }
    const step = (state.step as number) + 1;
    state.step = step;
    if (g.weightDecay !== 0) d = d.add(p, { alpha: g.weightDecay });
    const clr = g.lr / (1 + (step - 1) * g.lrDecay);
    const sum = (state.sum as Tensor).addcmul_(d, d, { value: 1 });
    p.addcdiv_(d, sum.sqrt().add_(g.eps), { value: -clr });
  }
}

export interface AdadeltaOptions {
  lr: number;
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: ParamsLike<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super(params, { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false, ...options });
  }

  protected update(p: Tensor, grad: Tensor, state: OptimizerState, g: ParamGroup<AdadeltaOptions>): void {
    let d = g.maximize ? grad.neg() : grad;
    if (state.step === undefined) {
      state.step = 0;
      state.squareAvg = zerosLike(p);
      state.accDelta = zerosLike(p);
    }
    state.step = (state.step as number) + 1;
    if (g.weightDecay !== 0) d = d.add(p, { alpha: g.weightDecay });
    const squareAvg = (state.squareAvg as Tensor).mul_(g.rho).addcmul_(d, d, { value: 1 - g.rho });
    const accDelta = state.accDelta as Tensor;
    const delta = accDelta.add(g.eps).sqrt_().div_(squareAvg.add(g.eps).sqrt_()).mul_(d);
    accDelta.mul_(g.rho).addcmul_(delta, delta, { value: 1 - g.rho });
    p.add_(delta, { alpha: -g.lr });
  }
}
