// Loss modules: options as in PyTorch (reduction and each loss's own); class weights and
// pos_weight are buffers, as in PyTorch, so they follow .to(device) and appear in the state dict.
import type { Tensor } from '../../tensor';
import { Module } from '../module';
import * as F from '../functional';
import { PairwiseDistance } from './distance';

type Weighted = { weight?: Tensor | null };

abstract class Loss<O extends object> extends Module {
  declare weight: Tensor | null;

  /** weighted: the loss takes class weights (registered as the buffer `weight`, null if none). */
  constructor(protected readonly options: O = {} as O, private readonly weighted = false) {
    super();
    if (weighted) this.registerBuffer('weight', (options as Weighted).weight ?? null);
  }

  get reduction(): F.Reduction | 'batchmean' { return (this.options as { reduction?: F.Reduction }).reduction ?? 'mean'; }

  /** The options with the buffers' current tensors (moved or cast since construction). */
  protected get current(): O {
    return this.weighted ? { ...this.options, weight: this.weight } : this.options;
  }
}

type Opts<T = object> = F.LossOptions & T;

export class MSELoss extends Loss<Opts> {
  override forward(input: Tensor, target: Tensor): Tensor { return F.mseLoss(input, target, this.current); }
}

export class L1Loss extends Loss<Opts> {
  override forward(input: Tensor, target: Tensor): Tensor { return F.l1Loss(input, target, this.current); }
}

export class CrossEntropyLoss extends Loss<F.CrossEntropyOptions> {
  constructor(options: F.CrossEntropyOptions = {}) { super(options, true); }
  override forward(input: Tensor, target: Tensor): Tensor { return F.crossEntropy(input, target, this.current); }
}

export class NLLLoss extends Loss<Omit<F.CrossEntropyOptions, 'labelSmoothing'>> {
  constructor(options: Omit<F.CrossEntropyOptions, 'labelSmoothing'> = {}) { super(options, true); }
  override forward(input: Tensor, target: Tensor): Tensor { return F.nllLoss(input, target, this.current); }
}

export class BCELoss extends Loss<Opts<Weighted>> {
  constructor(options: Opts<Weighted> = {}) { super(options, true); }
  override forward(input: Tensor, target: Tensor): Tensor { return F.binaryCrossEntropy(input, target, this.current); }
}

export class BCEWithLogitsLoss extends Loss<Opts<Weighted & { posWeight?: Tensor | null }>> {
  declare posWeight: Tensor | null;
  constructor(options: Opts<Weighted & { posWeight?: Tensor | null }> = {}) {
    super(options, true);
    this.registerBuffer('posWeight', options.posWeight ?? null);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, { ...this.current, posWeight: this.posWeight });
  }
}

export class SmoothL1Loss extends Loss<Opts<{ beta?: number }>> {
  override forward(input: Tensor, target: Tensor): Tensor { return F.smoothL1Loss(input, target, this.current); }
}

export class HuberLoss extends Loss<Opts<{ delta?: number }>> {
  override forward(input: Tensor, target: Tensor): Tensor { return F.huberLoss(input, target, this.current); }
}

export class KLDivLoss extends Loss<{ reduction?: F.Reduction | 'batchmean'; logTarget?: boolean }> {
  override forward(input: Tensor, target: Tensor): Tensor { return F.klDiv(input, target, this.current); }
}

export class SoftMarginLoss extends Loss<Opts> {
  override forward(input: Tensor, target: Tensor): Tensor { return F.softMarginLoss(input, target, this.current); }
}

export class HingeEmbeddingLoss extends Loss<Opts<{ margin?: number }>> {
  override forward(input: Tensor, target: Tensor): Tensor { return F.hingeEmbeddingLoss(input, target, this.current); }
}

export class MultiLabelMarginLoss extends Loss<Opts> {
  override forward(input: Tensor, target: Tensor): Tensor { return F.multilabelMarginLoss(input, target, this.current); }
}

export class MultiLabelSoftMarginLoss extends Loss<Opts<Weighted>> {
  constructor(options: Opts<Weighted> = {}) { super(options, true); }
  override forward(input: Tensor, target: Tensor): Tensor { return F.multilabelSoftMarginLoss(input, target, this.current); }
}

export class MultiMarginLoss extends Loss<F.MultiMarginOptions> {
  constructor(options: F.MultiMarginOptions = {}) {
    const { p = 1 } = options;
    if (p !== 1 && p !== 2) throw new Error('only p == 1 and p == 2 supported');
    if (options.weight && options.weight.dim() !== 1) throw new Error(`MultiMarginLoss: expected weight to be None or 1D tensor, got ${options.weight.dim()}D instead`);
    super(options, true);
  }
  override forward(input: Tensor, target: Tensor): Tensor { return F.multiMarginLoss(input, target, this.current); }
}

export class PoissonNLLLoss extends Loss<F.PoissonNLLOptions> {
  override forward(logInput: Tensor, target: Tensor): Tensor { return F.poissonNllLoss(logInput, target, this.current); }
}

/** forward(input, target, var). */
export class GaussianNLLLoss extends Loss<Opts<{ full?: boolean; eps?: number }>> {
  override forward(input: Tensor, target: Tensor, variance: Tensor | number): Tensor {
    return F.gaussianNllLoss(input, target, variance, this.current);
  }
}

/** forward(input1, input2, target), target 1 or -1. */
export class MarginRankingLoss extends Loss<Opts<{ margin?: number }>> {
  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor { return F.marginRankingLoss(input1, input2, target, this.current); }
}

/** forward(input1, input2, target), target 1 or -1. */
export class CosineEmbeddingLoss extends Loss<Opts<{ margin?: number }>> {
  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor { return F.cosineEmbeddingLoss(input1, input2, target, this.current); }
}

/** forward(anchor, positive, negative). */
export class TripletMarginLoss extends Loss<F.TripletMarginOptions> {
  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor { return F.tripletMarginLoss(anchor, positive, negative, this.current); }
}

/** forward(logProbs, targets, inputLengths, targetLengths). */
export class CTCLoss extends Loss<F.CTCLossOptions> {
  override forward(logProbs: Tensor, targets: Tensor, inputLengths: Tensor | number[], targetLengths: Tensor | number[]): Tensor {
    return F.ctcLoss(logProbs, targets, inputLengths, targetLengths, this.current);
  }
}

/** A distance of two batches of embeddings: a function, or a module whose forward takes two tensors. */
export type DistanceFunction = ((x1: Tensor, x2: Tensor) => Tensor) | Module;
export interface TripletMarginWithDistanceLossOptions extends Omit<F.TripletMarginWithDistanceOptions, 'distanceFunction'> {
  /** nn.PairwiseDistance() by default, as in PyTorch. */
  distanceFunction?: DistanceFunction | null;
}

/** forward(anchor, positive, negative); a distance module is a child (printed, moved with the loss). */
export class TripletMarginWithDistanceLoss extends Loss<TripletMarginWithDistanceLossOptions> {
  readonly distanceFunction: DistanceFunction;

  constructor(options: TripletMarginWithDistanceLossOptions = {}) {
    const { margin = 1 } = options;
    if (margin <= 0) throw new Error(`TripletMarginWithDistanceLoss: expected margin to be greater than 0, got ${margin} instead`);
    super(options);
    this.distanceFunction = options.distanceFunction ?? new PairwiseDistance();
  }

  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    const d = this.distanceFunction;
    const distanceFunction = d instanceof Module ? (x1: Tensor, x2: Tensor) => d.forward(x1, x2) as Tensor : d;
    return F.tripletMarginWithDistanceLoss(anchor, positive, negative, { ...this.options, distanceFunction });
  }
}
