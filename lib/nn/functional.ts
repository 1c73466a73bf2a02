// torch.nn.functional: PyTorch's Python wrappers, over the generated operators (aten and
// torch._C._nn). Reductions are PyTorch's strings: 'none' | 'mean' | 'sum'. Pooling, dropout,
// resampling and the less common losses are in functional-*.ts, re-exported here.
import { Tensor } from '../tensor';
import type { DType } from '../dtype';
import { noGrad } from '../autograd';
import { makeNamespace } from '../ops/overload';
import { overloads, nn as nnTable } from '../generated/ops';
import * as torch from '../generated/functions';
import { REDUCTIONS, reductionEnum, type LossOptions, type Reduction } from './reduction';
import type { Size } from './types';

export * from './functional-losses';
export * from './functional-pooling';
export * from './functional-dropout';
export * from './functional-sampling';
export * from './functional-fractional';
export * from './functional-normalization';
export * from './functional-attention';
export type { LossOptions, Reduction } from './reduction';

type Op = (...args: unknown[]) => Tensor;
/** torch._C._nn: the operators Python's functional module calls. */
const C = makeNamespace('torch._C._nn.', overloads, nnTable) as Record<string, Op>;

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

export interface GumbelSoftmaxOptions {
  /** The temperature (> 0). */
  tau?: number;
  /** One-hot samples, differentiated as the soft ones (straight-through). */
  hard?: boolean;
  /** Deprecated in PyTorch; has no effect. */
  eps?: number;
  dim?: number;
}

/** Samples from the Gumbel-softmax distribution; the noise comes from the global generator, as in PyTorch. */
export function gumbelSoftmax(logits: Tensor, options: GumbelSoftmaxOptions = {}): Tensor {
  const { tau = 1, hard = false, eps = 1e-10, dim = -1 } = options;
  if (eps !== 1e-10) console.warn('`eps` parameter is deprecated and has no effect.');
  const gumbels = torch.emptyLike(logits, { memoryFormat: 'contiguous_format' }).exponential_().log().neg();
  const ySoft = logits.add(gumbels).div(tau).softmax(dim);
  if (!hard) return ySoft;
  const [, index] = ySoft.max(dim, true);
  const yHard = torch.zerosLike(logits, { memoryFormat: 'contiguous_format' }).scatter_(dim, index, 1);
  return yHard.sub(ySoft.detach()).add(ySoft);
}

// ---- layers --------------------------------------------------------------------------------

export const linear = (input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor => C.linear(input, weight, bias);

// ---- losses --------------------------------------------------------------------------------

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

// nll_loss_nd, as Python's F.nll_loss: K-dimensional input (N, C, d1, ...) too.
export const nllLoss = (input: Tensor, target: Tensor, options: Omit<CrossEntropyOptions, 'labelSmoothing'> = {}): Tensor =>
  C.nllLossNd(input, target, options.weight ?? null, reductionEnum(options.reduction ?? 'mean'), options.ignoreIndex ?? -100);

const sizeText = (t: Tensor) => `torch.Size([${t.shape.join(', ')}])`;
const sameShape = (a: Tensor, b: Tensor) => a.shape.join() === b.shape.join();

export function binaryCrossEntropy(input: Tensor, target: Tensor, options: LossOptions & { weight?: Tensor | null } = {}): Tensor {
  if (!sameShape(input, target)) {
    throw new Error(`Using a target size (${sizeText(target)}) that is different to the input size (${sizeText(input)}) is deprecated. Please ensure they have the same size.`);
  }
  return C.binaryCrossEntropy(input, target, options.weight ?? null, reductionEnum(options.reduction ?? 'mean'));
}

export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor,
  options: LossOptions & { weight?: Tensor | null; posWeight?: Tensor | null } = {}): Tensor {
  if (!sameShape(input, target)) throw new Error(`Target size (${sizeText(target)}) must be the same as input size (${sizeText(input)})`);
  return torch.binaryCrossEntropyWithLogits(input, target, options.weight ?? null, options.posWeight ?? null,
    reductionEnum(options.reduction ?? 'mean'));
}

// ---- convolution and pooling ---------------------------------------------------------------


export interface ConvOptions {
  stride?: Size;
  padding?: Size | 'same' | 'valid';
  dilation?: Size;
  groups?: number;
}

/** F.conv2d(x, w, { padding: 1 }) as Python's F.conv2d(x, w, padding=1): options may stand in bias's place. */
function biasAndOptions<O>(bias: Tensor | null | O | undefined, options: O): [Tensor | null, O] {
  if (bias === null || bias === undefined || bias instanceof Tensor) return [(bias ?? null) as Tensor | null, options];
  return [null, bias as O];
}

function conv(op: (...a: unknown[]) => Tensor, input: Tensor, weight: Tensor, b: Tensor | null | ConvOptions, options: ConvOptions): Tensor {
  const [bias, o] = biasAndOptions(b, options);
  return op(input, weight, bias, o.stride ?? 1, o.padding ?? 0, o.dilation ?? 1, o.groups ?? 1);
}
export const conv1d = (input: Tensor, weight: Tensor, bias: Tensor | null | ConvOptions = null, options: ConvOptions = {}): Tensor =>
  conv(torch.conv1d as never, input, weight, bias, options);
export const conv2d = (input: Tensor, weight: Tensor, bias: Tensor | null | ConvOptions = null, options: ConvOptions = {}): Tensor =>
  conv(torch.conv2d as never, input, weight, bias, options);
export const conv3d = (input: Tensor, weight: Tensor, bias: Tensor | null | ConvOptions = null, options: ConvOptions = {}): Tensor =>
  conv(torch.conv3d as never, input, weight, bias, options);

export interface ConvTransposeOptions {
  stride?: Size;
  padding?: Size;
  outputPadding?: Size;
  groups?: number;
  dilation?: Size;
}

type TransposeBias = Tensor | null | ConvTransposeOptions;
function convTranspose(op: (...a: unknown[]) => Tensor, input: Tensor, weight: Tensor, b: TransposeBias, options: ConvTransposeOptions): Tensor {
  const [bias, o] = biasAndOptions(b, options);
  return op(input, weight, bias, o.stride ?? 1, o.padding ?? 0, o.outputPadding ?? 0, o.groups ?? 1, o.dilation ?? 1);
}
export const convTranspose1d = (input: Tensor, weight: Tensor, bias: TransposeBias = null, options: ConvTransposeOptions = {}): Tensor =>
  convTranspose(torch.convTranspose1d as never, input, weight, bias, options);
export const convTranspose2d = (input: Tensor, weight: Tensor, bias: TransposeBias = null, options: ConvTransposeOptions = {}): Tensor =>
  convTranspose(torch.convTranspose2d as never, input, weight, bias, options);
export const convTranspose3d = (input: Tensor, weight: Tensor, bias: TransposeBias = null, options: ConvTransposeOptions = {}): Tensor =>
  convTranspose(torch.convTranspose3d as never, input, weight, bias, options);

// ---- normalization and embeddings ----------------------------------------------------------

export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

// Statistics of a single value would be 0/0: PyTorch refuses them while training, with these messages.
function checkStatistics(input: Tensor, spatialOnly: boolean): void {
  const count = input.shape.slice(2).reduce((a, b) => a * b, spatialOnly ? 1 : input.size(0));
  if (count !== 1) return;
  const what = spatialOnly ? 'spatial element' : 'value per channel';
  throw new Error(`Expected more than 1 ${what} when training, got input size ${sizeText(input)}`);
}

export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, o: BatchNormOptions = {}): Tensor {
  if (o.training) checkStatistics(input, false);
  return torch.batchNorm(input, o.weight ?? null, o.bias ?? null, runningMean, runningVar, o.training ?? false,
    o.momentum ?? 0.1, o.eps ?? 1e-5, true);
}

export const layerNorm = (input: Tensor, normalizedShape: number[], options: { weight?: Tensor | null; bias?: Tensor | null; eps?: number } = {}): Tensor =>
  torch.layerNorm(input, normalizedShape, options.weight ?? null, options.bias ?? null, options.eps ?? 1e-5, true);

export const groupNorm = (input: Tensor, numGroups: number, options: { weight?: Tensor | null; bias?: Tensor | null; eps?: number } = {}): Tensor =>
  torch.groupNorm(input, numGroups, options.weight ?? null, options.bias ?? null, options.eps ?? 1e-5, true);

export interface InstanceNormOptions {
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  useInputStats?: boolean;
  momentum?: number;
  eps?: number;
}

export function instanceNorm(input: Tensor, o: InstanceNormOptions = {}): Tensor {
  if (o.useInputStats ?? true) checkStatistics(input, true);
  return torch.instanceNorm(input, o.weight ?? null, o.bias ?? null, o.runningMean ?? null, o.runningVar ?? null,
    o.useInputStats ?? true, o.momentum ?? 0.1, o.eps ?? 1e-5, true);
}

export interface EmbeddingOptions {
  paddingIdx?: number | null;
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
  sparse?: boolean;
}

/** Rows of weight; maxNorm renormalizes the rows looked up, in place, as PyTorch does. */
export function embedding(input: Tensor, weight: Tensor, options: EmbeddingOptions = {}): Tensor {
  let paddingIdx = options.paddingIdx ?? -1;
  if (options.paddingIdx !== undefined && options.paddingIdx !== null) {
    const rows = weight.size(0);
    if (paddingIdx >= rows || paddingIdx < -rows) throw new Error('Padding_idx must be within num_embeddings');
    if (paddingIdx < 0) paddingIdx += rows;
  }
  let indices = input;
  if (options.maxNorm !== undefined && options.maxNorm !== null) {
    indices = input.contiguous();
    const { maxNorm, normType = 2 } = options;
    noGrad(() => torch.embeddingRenorm_(weight.detach(), indices, maxNorm, normType));
  }
  return torch.embedding(weight, indices, paddingIdx, options.scaleGradByFreq ?? false, options.sparse ?? false);
}

export interface EmbeddingBagOptions extends Omit<EmbeddingOptions, 'sparse'> {
  mode?: 'sum' | 'mean' | 'max';
  sparse?: boolean;
  perSampleWeights?: Tensor | null;
  includeLastOffset?: boolean;
}

const BAG_MODES = { sum: 0, mean: 1, max: 2 };

/** Sums, means or maxima of bags of embeddings: 2-D input (fixed-length bags) or 1-D input with offsets. */
export function embeddingBag(input: Tensor, weight: Tensor, offsetsOrOptions: Tensor | null | EmbeddingBagOptions = null,
  more: EmbeddingBagOptions = {}): Tensor {
  const [givenOffsets, options] = biasAndOptions(offsetsOrOptions, more);
  let offsets = givenOffsets;
  const { mode = 'mean', scaleGradByFreq = false, sparse = false, includeLastOffset = false } = options;
  let { perSampleWeights = null } = options;
  if (perSampleWeights && input.shape.join() !== perSampleWeights.shape.join()) {
    throw new Error(`embedding_bag: If per_sample_weights (${perSampleWeights.shape}) is not None, then it must have the same shape as the input (${input.shape})`);
  }
  if (input.dim() !== 1 && input.dim() !== 2) throw new Error(`input has to be 1D or 2D Tensor, but got Tensor of dimension ${input.dim()}`);
  let flat = input;
  if (input.dim() === 2) {
    if (offsets) throw new Error('if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences. However, found offsets of type Tensor');
    offsets = torch.arange(0, input.numel(), input.size(1), { dtype: input.dtype, device: input.device });
    flat = input.reshape(-1);
    perSampleWeights = perSampleWeights?.reshape(-1) ?? null;
  } else if (!offsets) throw new Error('offsets has to be a 1D Tensor but got None');
  else if (offsets.dim() !== 1) throw new Error('offsets has to be a 1D Tensor');
  if (!(mode in BAG_MODES)) throw new Error('mode has to be one of sum, mean or max');
  if (mode === 'max' && scaleGradByFreq) throw new Error('max mode does not support scaling the gradient by the frequency');
  if (mode === 'max' && sparse) throw new Error('max mode does not support sparse weights');
  if (options.maxNorm !== undefined && options.maxNorm !== null) {
    const { maxNorm, normType = 2 } = options;
    noGrad(() => torch.embeddingRenorm_(weight.detach(), flat, maxNorm, normType));
  }
  if (perSampleWeights && mode !== 'sum') {
    throw new Error(`embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='${mode}'). Please open a feature request on the Pytorch GitHub.`);
  }
  const [out] = torch.embeddingBag(weight, flat, offsets, scaleGradByFreq, BAG_MODES[mode], sparse, perSampleWeights,
    includeLastOffset, options.paddingIdx ?? null) as unknown as Tensor[];
  return out;
}

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


// ---- the functions Python's torch.nn.functional takes from torch or torch._C._nn as they are

export const {
  celu, selu, hardshrink, pdist, pixelShuffle, pixelUnshuffle, cosineSimilarity, pairwiseDistance, prelu,
  threshold, channelShuffle, nativeChannelShuffle, relu_, selu_, celu_, threshold_, rrelu_, convTbc,
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
export const silu_ = C.silu_;
export const mish_ = C.mish_;
export const hardswish_ = C.hardswish_;
export const hardsigmoid_ = C.hardsigmoid_;
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
