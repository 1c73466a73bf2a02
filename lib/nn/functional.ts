// torch.nn.functional: PyTorch's Python wrappers, over the generated operators (aten and
// torch._C._nn). Reductions are PyTorch's strings: 'none' | 'mean' | 'sum'.
import type { Tensor } from '../tensor';
import type { DType } from '../dtype';
import { makeNamespace } from '../ops/overload';
import { overloads, nn as nnTable } from '../generated/ops';
import * as torch from '../generated/functions';

type Op = (...args: unknown[]) => Tensor;
/** torch._C._nn: the operators Python's functional module calls. */
const C = makeNamespace('torch._C._nn.', overloads, nnTable) as Record<string, Op>;

export type Reduction = 'none' | 'mean' | 'sum';
const REDUCTIONS: Record<Reduction, number> = { none: 0, mean: 1, sum: 2 };
function reductionEnum(reduction: Reduction): number {
  if (!(reduction in REDUCTIONS)) throw new Error(`${String(reduction)} is not a valid value for reduction`);
  return REDUCTIONS[reduction];
}

// ---- activations ---------------------------------------------------------------------------

export const relu = (input: Tensor, options: { inplace?: boolean } = {}): Tensor =>
  (options.inplace ? torch.relu_(input) : torch.relu(input));
export const sigmoid = (input: Tensor): Tensor => torch.sigmoid(input);
export const tanh = (input: Tensor): Tensor => torch.tanh(input);
export const silu = (input: Tensor): Tensor => C.silu(input);
export const gelu = (input: Tensor, options: { approximate?: 'none' | 'tanh' } = {}): Tensor =>
  C.gelu(input, { approximate: options.approximate ?? 'none' });
export const leakyRelu = (input: Tensor, negativeSlope = 0.01): Tensor => C.leakyRelu(input, negativeSlope);
export const elu = (input: Tensor, alpha = 1): Tensor => C.elu(input, alpha);
export const softplus = (input: Tensor, beta = 1, threshold = 20): Tensor => C.softplus(input, beta, threshold);
export const hardtanh = (input: Tensor, minVal = -1, maxVal = 1): Tensor => C.hardtanh(input, minVal, maxVal);
export const logsigmoid = (input: Tensor): Tensor => C.logSigmoid(input);

export const softmax = (input: Tensor, dim: number, options: { dtype?: DType } = {}): Tensor =>
  torch.softmax(input, dim, options.dtype ?? null);
export const logSoftmax = (input: Tensor, dim: number, options: { dtype?: DType } = {}): Tensor =>
  torch.logSoftmax(input, dim, options.dtype ?? null);

// ---- layers --------------------------------------------------------------------------------

export const linear = (input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor => C.linear(input, weight, bias);

export function dropout(input: Tensor, p = 0.5, training = true, options: { inplace?: boolean } = {}): Tensor {
  if (p < 0 || p > 1) throw new Error(`dropout probability has to be between 0 and 1, but got ${p}`);
  return options.inplace ? torch.dropout_(input, p, training) : torch.dropout(input, p, training);
}

// ---- losses --------------------------------------------------------------------------------

export interface LossOptions {
  reduction?: Reduction;
}

export const mseLoss = (input: Tensor, target: Tensor, options: LossOptions = {}): Tensor =>
  C.mseLoss(input, target, reductionEnum(options.reduction ?? 'mean'));

export const l1Loss = (input: Tensor, target: Tensor, options: LossOptions = {}): Tensor =>
  C.l1Loss(input, target, reductionEnum(options.reduction ?? 'mean'));

export interface CrossEntropyOptions extends LossOptions {
  weight?: Tensor | null;
  ignoreIndex?: number;
  labelSmoothing?: number;
}

/** Class indices or class probabilities as target, as in PyTorch. */
export const crossEntropy = (input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor =>
  C.crossEntropyLoss(input, target, options.weight ?? null, reductionEnum(options.reduction ?? 'mean'),
    options.ignoreIndex ?? -100, options.labelSmoothing ?? 0);

export const nllLoss = (input: Tensor, target: Tensor, options: Omit<CrossEntropyOptions, 'labelSmoothing'> = {}): Tensor =>
  C.nllLoss(input, target, options.weight ?? null, reductionEnum(options.reduction ?? 'mean'), options.ignoreIndex ?? -100);

export const binaryCrossEntropy = (input: Tensor, target: Tensor, options: LossOptions & { weight?: Tensor | null } = {}): Tensor =>
  C.binaryCrossEntropy(input, target, options.weight ?? null, reductionEnum(options.reduction ?? 'mean'));

export const binaryCrossEntropyWithLogits = (input: Tensor, target: Tensor,
  options: LossOptions & { weight?: Tensor | null; posWeight?: Tensor | null } = {}): Tensor =>
  torch.binaryCrossEntropyWithLogits(input, target, options.weight ?? null, options.posWeight ?? null,
    reductionEnum(options.reduction ?? 'mean'));

// ---- convolution and pooling ---------------------------------------------------------------

type Size = number | number[];

export interface ConvOptions {
  stride?: Size;
  padding?: Size | 'same' | 'valid';
  dilation?: Size;
  groups?: number;
}

function conv(op: (...a: unknown[]) => Tensor, input: Tensor, weight: Tensor, bias: Tensor | null, o: ConvOptions): Tensor {
  return op(input, weight, bias, o.stride ?? 1, o.padding ?? 0, o.dilation ?? 1, o.groups ?? 1);
}
export const conv1d = (input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvOptions = {}): Tensor =>
  conv(torch.conv1d as never, input, weight, bias, options);
export const conv2d = (input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvOptions = {}): Tensor =>
  conv(torch.conv2d as never, input, weight, bias, options);
export const conv3d = (input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvOptions = {}): Tensor =>
  conv(torch.conv3d as never, input, weight, bias, options);

export interface ConvTransposeOptions {
  stride?: Size;
  padding?: Size;
  outputPadding?: Size;
  groups?: number;
  dilation?: Size;
}

function convTranspose(op: (...a: unknown[]) => Tensor, input: Tensor, weight: Tensor, bias: Tensor | null, o: ConvTransposeOptions): Tensor {
  return op(input, weight, bias, o.stride ?? 1, o.padding ?? 0, o.outputPadding ?? 0, o.groups ?? 1, o.dilation ?? 1);
}
export const convTranspose1d = (input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvTransposeOptions = {}): Tensor =>
  convTranspose(torch.convTranspose1d as never, input, weight, bias, options);
export const convTranspose2d = (input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvTransposeOptions = {}): Tensor =>
  convTranspose(torch.convTranspose2d as never, input, weight, bias, options);

export interface PoolOptions {
  stride?: Size | null;
  padding?: Size;
  dilation?: Size;
  ceilMode?: boolean;
}

// stride null or absent means "the kernel size": aten takes an empty list for that.
const strideOf = (s: Size | null | undefined) => (s === null || s === undefined ? [] : s);

export const maxPool1d = (input: Tensor, kernelSize: Size, o: PoolOptions = {}): Tensor =>
  torch.maxPool1d(input, kernelSize, strideOf(o.stride), o.padding ?? 0, o.dilation ?? 1, o.ceilMode ?? false);
export const maxPool2d = (input: Tensor, kernelSize: Size, o: PoolOptions = {}): Tensor =>
  torch.maxPool2d(input, kernelSize, strideOf(o.stride), o.padding ?? 0, o.dilation ?? 1, o.ceilMode ?? false);

export interface AvgPoolOptions {
  stride?: Size | null;
  padding?: Size;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

export const avgPool1d = (input: Tensor, kernelSize: Size, o: AvgPoolOptions = {}): Tensor =>
  torch.avgPool1d(input, kernelSize, strideOf(o.stride), o.padding ?? 0, o.ceilMode ?? false, o.countIncludePad ?? true);
export const avgPool2d = (input: Tensor, kernelSize: Size, o: AvgPoolOptions = {}): Tensor =>
  C.avgPool2d(input, kernelSize, strideOf(o.stride), o.padding ?? 0, o.ceilMode ?? false, o.countIncludePad ?? true,
    o.divisorOverride ?? null);
export const adaptiveAvgPool1d = (input: Tensor, outputSize: Size): Tensor => torch.adaptiveAvgPool1d(input, outputSize);
export const adaptiveAvgPool2d = (input: Tensor, outputSize: Size): Tensor => C.adaptiveAvgPool2d(input, outputSize);

// ---- normalization and embeddings ----------------------------------------------------------

export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

export const batchNorm = (input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, o: BatchNormOptions = {}): Tensor =>
  torch.batchNorm(input, o.weight ?? null, o.bias ?? null, runningMean, runningVar, o.training ?? false,
    o.momentum ?? 0.1, o.eps ?? 1e-5, true);

export const layerNorm = (input: Tensor, normalizedShape: number[], options: { weight?: Tensor | null; bias?: Tensor | null; eps?: number } = {}): Tensor =>
  torch.layerNorm(input, normalizedShape, options.weight ?? null, options.bias ?? null, options.eps ?? 1e-5, true);

export const groupNorm = (input: Tensor, numGroups: number, options: { weight?: Tensor | null; bias?: Tensor | null; eps?: number } = {}): Tensor =>
  torch.groupNorm(input, numGroups, options.weight ?? null, options.bias ?? null, options.eps ?? 1e-5, true);

export const embedding = (input: Tensor, weight: Tensor, options: { paddingIdx?: number | null; scaleGradByFreq?: boolean } = {}): Tensor =>
  torch.embedding(weight, input, options.paddingIdx ?? -1, options.scaleGradByFreq ?? false, false);

// ---- more losses and layers ----------------------------------------------------------------

export const smoothL1Loss = (input: Tensor, target: Tensor, options: LossOptions & { beta?: number } = {}): Tensor =>
  C.smoothL1Loss(input, target, reductionEnum(options.reduction ?? 'mean'), options.beta ?? 1);

export const huberLoss = (input: Tensor, target: Tensor, options: LossOptions & { delta?: number } = {}): Tensor =>
  C.huberLoss(input, target, reductionEnum(options.reduction ?? 'mean'), options.delta ?? 1);

/** KL divergence; 'batchmean' divides the sum by the batch size, as PyTorch recommends. */
export function klDiv(input: Tensor, target: Tensor, options: { reduction?: Reduction | 'batchmean'; logTarget?: boolean } = {}): Tensor {
  const reduction = options.reduction ?? 'mean';
  const logTarget = options.logTarget ?? false;
  if (reduction === 'batchmean') {
    const sum = torch.klDiv(input, target, REDUCTIONS.sum, { logTarget });
    return input.dim() === 0 ? sum : sum.div(input.size(0));
  }
  return torch.klDiv(input, target, reductionEnum(reduction), { logTarget });
}

export const bilinear = (input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor =>
  torch.bilinear(input1, input2, weight, bias);

/** Zeroes whole channels (dim 1) with probability p. */
export const dropout2d = (input: Tensor, p = 0.5, training = true): Tensor => torch.featureDropout(input, p, training);

// ---- the functions Python's torch.nn.functional takes from torch or torch._C._nn as they are

export const {
  celu, selu, hardshrink, pdist, pixelShuffle, pixelUnshuffle, cosineSimilarity, pairwiseDistance, prelu, rrelu,
  threshold, channelShuffle, nativeChannelShuffle, relu_, selu_, celu_, threshold_, rrelu_, alphaDropout,
  featureAlphaDropout, maxPool3d, convTranspose3d, convTbc, adaptiveMaxPool1d,
} = torch;
export const softshrink = C.softshrink;
export const hardsigmoid = C.hardsigmoid;
export const hardswish = C.hardswish;
export const mish = C.mish;
export const glu = C.glu;
export const pad = C.pad;
export const oneHot = C.oneHot;
export const elu_ = C.elu_;
export const leakyRelu_ = C.leakyRelu_;
export const hardtanh_ = C.hardtanh_;
export const avgPool3d = C.avgPool3d;
export const adaptiveAvgPool3d = C.adaptiveAvgPool3d;
export const adaptiveMaxPool2d = C.adaptiveMaxPool2d;
export const scaledDotProductAttention = C.scaledDotProductAttention;

// Python-level compositions in PyTorch too.
export const relu6 = (input: Tensor): Tensor => hardtanh(input, 0, 6);
export const softsign = (input: Tensor): Tensor => input.div(input.abs().add(1));
export const tanhshrink = (input: Tensor): Tensor => input.sub(input.tanh());
export const softmin = (input: Tensor, dim: number, options: { dtype?: DType } = {}): Tensor => softmax(input.neg(), dim, options);

/** Divides by the p-norm along dim (clamped below by eps), as F.normalize. */
export function normalize(input: Tensor, options: { p?: number; dim?: number; eps?: number } = {}): Tensor {
  const { p = 2, dim = 1, eps = 1e-12 } = options;
  return input.div(input.norm(p, [dim], true).clampMin(eps).expandAs(input));
}
