// Loss modules: options as in PyTorch (reduction and each loss's own), forward(input, target).
import type { Tensor } from '../../tensor';
import { Module } from '../module';
import * as F from '../functional';

abstract class Loss<O extends F.LossOptions> extends Module {
  constructor(protected readonly options: O = {} as O) { super(); }
  get reduction(): F.Reduction { return this.options.reduction ?? 'mean'; }
  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

export class MSELoss extends Loss<F.LossOptions> {
  override forward(input: Tensor, target: Tensor): Tensor { return F.mseLoss(input, target, this.options); }
}

export class L1Loss extends Loss<F.LossOptions> {
  override forward(input: Tensor, target: Tensor): Tensor { return F.l1Loss(input, target, this.options); }
}

export class CrossEntropyLoss extends Loss<F.CrossEntropyOptions> {
  override forward(input: Tensor, target: Tensor): Tensor { return F.crossEntropy(input, target, this.options); }
}

export class NLLLoss extends Loss<Omit<F.CrossEntropyOptions, 'labelSmoothing'>> {
  override forward(input: Tensor, target: Tensor): Tensor { return F.nllLoss(input, target, this.options); }
}

export class BCELoss extends Loss<F.LossOptions & { weight?: Tensor | null }> {
  override forward(input: Tensor, target: Tensor): Tensor { return F.binaryCrossEntropy(input, target, this.options); }
}

export class BCEWithLogitsLoss extends Loss<F.LossOptions & { weight?: Tensor | null; posWeight?: Tensor | null }> {
  override forward(input: Tensor, target: Tensor): Tensor { return F.binaryCrossEntropyWithLogits(input, target, this.options); }
}

export class SmoothL1Loss extends Loss<F.LossOptions & { beta?: number }> {
  override forward(input: Tensor, target: Tensor): Tensor { return F.smoothL1Loss(input, target, this.options); }
}

export class HuberLoss extends Loss<F.LossOptions & { delta?: number }> {
  override forward(input: Tensor, target: Tensor): Tensor { return F.huberLoss(input, target, this.options); }
}

export class KLDivLoss extends Module {
  constructor(readonly options: { reduction?: F.Reduction | 'batchmean'; logTarget?: boolean } = {}) { super(); }
  override forward(input: Tensor, target: Tensor): Tensor { return F.klDiv(input, target, this.options); }
}
