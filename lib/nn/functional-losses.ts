// The losses of torch.nn.functional beyond the common ones (those are in functional.ts):
// margin, embedding, Poisson, Gaussian and CTC losses, as PyTorch's wrappers compute them,
// with their checks and messages.
import type { Tensor } from '../tensor';
import { noGrad } from '../autograd';
import { makeNamespace } from '../ops/overload';
import { overloads, nn as nnTable } from '../generated/ops';
import * as torch from '../generated/functions';
import { reductionEnum, type LossOptions, type Reduction } from './reduction';

const C = makeNamespace('torch._C._nn.', overloads, nnTable) as Record<string, (...args: unknown[]) => Tensor>;
const reductionOf = (o: LossOptions) => reductionEnum(o.reduction ?? 'mean');
const sizeText = (t: Tensor) => `torch.Size([${t.shape.join(', ')}])`;

function reduce(loss: Tensor, reduction: Reduction, message = 'is not valid'): Tensor {
  if (reduction === 'mean') return loss.mean();
  if (reduction === 'sum') return loss.sum();
  if (reduction === 'none') return loss;
  throw new Error(`${String(reduction)} ${message}`);
}

export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, options: LossOptions & { margin?: number } = {}): Tensor {
  if (input1.dim() !== input2.dim() || input1.dim() !== target.dim()) {
    throw new Error('margin_ranking_loss : All input tensors should have same dimension but got sizes: '
      + `input1: ${sizeText(input1)}, input2: ${sizeText(input2)}, target: ${sizeText(target)} `);
  }
  return torch.marginRankingLoss(input1, input2, target, options.margin ?? 0, reductionOf(options));
}

export const hingeEmbeddingLoss = (input: Tensor, target: Tensor, options: LossOptions & { margin?: number } = {}): Tensor =>
  torch.hingeEmbeddingLoss(input, target, options.margin ?? 1, reductionOf(options));

export const softMarginLoss = (input: Tensor, target: Tensor, options: LossOptions = {}): Tensor =>
  C.softMarginLoss(input, target, reductionOf(options));

export const cosineEmbeddingLoss = (input1: Tensor, input2: Tensor, target: Tensor, options: LossOptions & { margin?: number } = {}): Tensor =>
  torch.cosineEmbeddingLoss(input1, input2, target, options.margin ?? 0, reductionOf(options));

export const multilabelMarginLoss = (input: Tensor, target: Tensor, options: LossOptions = {}): Tensor =>
  C.multilabelMarginLoss(input, target, reductionOf(options));

/** Mean over classes of the binary cross-entropy of each label (a Python composition in PyTorch too). */
export function multilabelSoftMarginLoss(input: Tensor, target: Tensor, options: LossOptions & { weight?: Tensor | null } = {}): Tensor {
  const logsigmoid = (t: Tensor) => C.logSigmoid(t);
  let loss = target.mul(logsigmoid(input)).add(target.neg().add(1).mul(logsigmoid(input.neg()))).neg();
  if (options.weight) loss = loss.mul(options.weight);
  const classDim = input.dim() - 1;
  loss = loss.sum(classDim).div(input.size(classDim));
  return reduce(loss, options.reduction ?? 'mean');
}

export interface MultiMarginOptions extends LossOptions {
  p?: number;
  margin?: number;
  weight?: Tensor | null;
}

export function multiMarginLoss(input: Tensor, target: Tensor, options: MultiMarginOptions = {}): Tensor {
  const { p = 1, margin = 1, weight = null } = options;
  if (p !== 1 && p !== 2) throw new Error('only p == 1 and p == 2 supported');
  if (weight && weight.dim() !== 1) throw new Error('weight must be one-dimensional');
  return C.multiMarginLoss(input, target, p, margin, weight, reductionOf(options));
}

export interface TripletMarginOptions extends LossOptions {
  margin?: number;
  p?: number;
  eps?: number;
  swap?: boolean;
}

export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, options: TripletMarginOptions = {}): Tensor {
  const { margin = 1, p = 2, eps = 1e-6, swap = false } = options;
  if (margin <= 0) throw new Error(`margin must be greater than 0, got ${margin}`);
  return torch.tripletMarginLoss(anchor, positive, negative, margin, p, eps, swap, reductionOf(options));
}

export interface PoissonNLLOptions extends LossOptions {
  logInput?: boolean;
  full?: boolean;
  eps?: number;
}

export function poissonNllLoss(input: Tensor, target: Tensor, options: PoissonNLLOptions = {}): Tensor {
  const { logInput = true, full = false, eps = 1e-8, reduction = 'mean' } = options;
  return torch.poissonNllLoss(input, target, logInput, full, eps, reductionEnum(reduction));
}

/** Negative log-likelihood of a Gaussian with predicted mean (input) and variance (var), as F.gaussian_nll_loss. */
export function gaussianNllLoss(input: Tensor, target: Tensor, variance: Tensor | number,
  options: LossOptions & { full?: boolean; eps?: number } = {}): Tensor {
  const { full = false, eps = 1e-6, reduction = 'mean' } = options;
  let v: Tensor;
  if (typeof variance === 'number') {
    if (variance < 0) throw new Error('var has negative entry/entries');
    v = torch.onesLike(input).mul(variance);
  } else {
    if (variance.lt(0).any().item()) throw new Error('var has negative entry/entries');
    v = variance;
  }
  if (v.shape.join() !== input.shape.join()) {
    const [ins, vs] = [input.shape, v.shape];
    const mismatched = ins.length === vs.length ? ins.reduce((n, d, i) => n + (d !== vs[i] ? vs[i] : 0), 0) : -1;
    // var one dimension short of input: one variance per row (homoscedastic), broadcast over the last dimension.
    if (ins.slice(0, -1).join() === vs.join() && vs.length === ins.length - 1) v = v.unsqueeze(-1);
    else if (mismatched !== 1) throw new Error('var is of incorrect size');
  }
  if (reduction !== 'none' && reduction !== 'mean' && reduction !== 'sum') throw new Error(`${String(reduction)} is not valid`);
  v = v.clone();
  const clamped = v;
  noGrad(() => clamped.clampMin_(eps));
  let loss = v.log().add(input.sub(target).pow(2).div(v)).mul(0.5);
  if (full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
  return reduce(loss, reduction);
}

export interface CTCLossOptions extends LossOptions {
  blank?: number;
  zeroInfinity?: boolean;
}

/** Connectionist temporal classification loss; the lengths are tensors or arrays of numbers. */
export const ctcLoss = (logProbs: Tensor, targets: Tensor, inputLengths: Tensor | number[], targetLengths: Tensor | number[],
  options: CTCLossOptions = {}): Tensor =>
  (torch.ctcLoss as (...a: unknown[]) => Tensor)(logProbs, targets, inputLengths, targetLengths, options.blank ?? 0,
    reductionOf(options), options.zeroInfinity ?? false);

export interface TripletMarginWithDistanceOptions extends LossOptions {
  /** The distance of two batches of embeddings; torch.pairwiseDistance by default. */
  distanceFunction?: ((x1: Tensor, x2: Tensor) => Tensor) | null;
  margin?: number;
  swap?: boolean;
}

/** The triplet margin loss under any distance: max(d(a, p) - d(a, n) + margin, 0). */
export function tripletMarginWithDistanceLoss(anchor: Tensor, positive: Tensor, negative: Tensor,
  options: TripletMarginWithDistanceOptions = {}): Tensor {
  const { margin = 1, swap = false, reduction = 'mean' } = options;
  const distance = options.distanceFunction ?? ((x1: Tensor, x2: Tensor) => torch.pairwiseDistance(x1, x2));
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') throw new Error(`${String(reduction)} is not a valid value for reduction`);
  if (margin <= 0) throw new Error(`margin must be greater than 0, got ${margin}`);
  const [a, p, n] = [anchor.dim(), positive.dim(), negative.dim()];
  if (a !== p || p !== n) {
    throw new Error('The anchor, positive, and negative tensors are expected to have the same number of dimensions, '
      + `but got: anchor ${a}D, positive ${p}D, and negative ${n}D inputs`);
  }
  const distPositive = distance(anchor, positive);
  let distNegative = distance(anchor, negative);
  // The distance swap (Balntas et al.): the positive stands in for the anchor when it is closer to the negative.
  if (swap) distNegative = torch.minimum(distNegative, distance(positive, negative));
  return reduce(torch.clampMin(distPositive.add(margin).sub(distNegative), 0), reduction);
}
