// BatchNorm1d/2d/3d, InstanceNorm1d/2d/3d, LayerNorm, GroupNorm, LocalResponseNorm, RMSNorm: PyTorch's parameters,
// buffers, defaults and printing.
import type { Tensor } from '../../tensor';
import { ones, zeros } from '../../generated/functions';
import { tensor } from '../../creation';
import { int64 } from '../../dtype';
import { noGrad } from '../../autograd';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as F from '../functional';
import { pyFloat } from '../repr';
import type { FactoryOptions } from './linear';

export interface BatchNormOptions extends FactoryOptions {
  eps?: number;
  /** null: a cumulative moving average (1 / batches seen), as PyTorch's momentum=None. */
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
}

/** PyTorch's _NormBase: affine parameters (ones, zeros) and running statistics as buffers. */
abstract class NormBase extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  declare runningMean: Tensor | null;
  declare runningVar: Tensor | null;
  declare numBatchesTracked: Tensor | null;

  constructor(readonly numFeatures: number, options: BatchNormOptions, defaults: { affine: boolean; trackRunningStats: boolean }) {
    super();
    const { eps = 1e-5, momentum = 0.1, affine = defaults.affine, trackRunningStats = defaults.trackRunningStats, ...factory } = options;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    this.weight = affine ? new Parameter(ones([numFeatures], factory)) : null;
    this.bias = affine ? new Parameter(zeros([numFeatures], factory)) : null;
    this.registerBuffer('runningMean', trackRunningStats ? zeros([numFeatures], factory) : null);
    this.registerBuffer('runningVar', trackRunningStats ? ones([numFeatures], factory) : null);
    this.registerBuffer('numBatchesTracked', trackRunningStats ? tensor(0, { dtype: int64, device: factory.device }) : null);
  }

  /** The input ranks this layer takes (BatchNorm2d: [4]). */
  protected abstract readonly ranks: number[];

  protected checkInput(input: Tensor): void {
    if (!this.ranks.includes(input.dim())) {
      const names = this.ranks.map((r) => `${r}D`).join(' or ');
      throw new Error(`expected ${names} input (got ${input.dim()}D input)`);
    }
  }

  override extraRepr(): string {
    const b = (v: boolean) => (v ? 'True' : 'False');
    const momentum = this.momentum === null ? 'None' : pyFloat(this.momentum);
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${momentum}, affine=${b(this.affine)}, track_running_stats=${b(this.trackRunningStats)}`;
  }
}

abstract class BatchNorm extends NormBase {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options, { affine: true, trackRunningStats: true });
  }

  override forward(input: Tensor): Tensor {
    this.checkInput(input);
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats && this.numBatchesTracked) {
      const counter = this.numBatchesTracked;
      noGrad(() => counter.add_(1));
      if (this.momentum === null) factor = 1 / (counter.item() as number);
    }
    const useBatchStats = this.training || this.runningMean === null;
    return F.batchNorm(input, useBatchStats && !this.trackRunningStats ? null : this.runningMean,
      useBatchStats && !this.trackRunningStats ? null : this.runningVar,
      { weight: this.weight, bias: this.bias, training: useBatchStats, momentum: factor, eps: this.eps });
  }
}

export class BatchNorm1d extends BatchNorm {
  protected readonly ranks = [2, 3];
}

export class BatchNorm2d extends BatchNorm {
  protected readonly ranks = [4];
}

export class BatchNorm3d extends BatchNorm {
  protected readonly ranks = [5];
}

/** Per-sample, per-channel normalization; no affine parameters or running statistics unless asked. */
abstract class InstanceNorm extends NormBase {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options, { affine: false, trackRunningStats: false });
  }

  override forward(input: Tensor): Tensor {
    this.checkInput(input);
    const unbatchedRank = this.ranks[0];
    const featureDim = input.dim() - unbatchedRank;
    if (this.affine && input.size(featureDim) !== this.numFeatures) {
      throw new Error(`expected input's size at dim=${featureDim} to match num_features (${this.numFeatures}), but got: ${input.size(featureDim)}.`);
    }
    const unbatched = input.dim() === unbatchedRank;
    const out = F.instanceNorm(unbatched ? input.unsqueeze(0) : input, {
      runningMean: this.runningMean, runningVar: this.runningVar, weight: this.weight, bias: this.bias,
      useInputStats: this.training || !this.trackRunningStats, momentum: this.momentum ?? 0, eps: this.eps,
    });
    return unbatched ? out.squeeze(0) : out;
  }
}

export class InstanceNorm1d extends InstanceNorm {
  protected readonly ranks = [2, 3];
}

export class InstanceNorm2d extends InstanceNorm {
  protected readonly ranks = [3, 4];
}

export class InstanceNorm3d extends InstanceNorm {
  protected readonly ranks = [4, 5];
}

export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(normalizedShape: number | number[], readonly options: FactoryOptions & { eps?: number; elementwiseAffine?: boolean; bias?: boolean } = {}) {
    super();
    const { eps: _eps, elementwiseAffine = true, bias = true, ...factory } = options;
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
    this.weight = elementwiseAffine ? new Parameter(ones(this.normalizedShape, factory)) : null;
    this.bias = elementwiseAffine && bias ? new Parameter(zeros(this.normalizedShape, factory)) : null;
  }

  get eps(): number {
    return this.options.eps ?? 1e-5;
  }

  override forward(input: Tensor): Tensor {
    return F.layerNorm(input, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `(${this.normalizedShape.join(', ')}${this.normalizedShape.length === 1 ? ',' : ''}), eps=${pyFloat(this.eps)}, elementwise_affine=${this.weight ? 'True' : 'False'}`;
  }
}

export class GroupNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(readonly numGroups: number, readonly numChannels: number, readonly options: FactoryOptions & { eps?: number; affine?: boolean } = {}) {
    super();
    if (numChannels % numGroups !== 0) throw new Error('num_channels must be divisible by num_groups');
    const { eps: _eps, affine = true, ...factory } = options;
    this.weight = affine ? new Parameter(ones([numChannels], factory)) : null;
    this.bias = affine ? new Parameter(zeros([numChannels], factory)) : null;
  }

  override forward(input: Tensor): Tensor {
    return F.groupNorm(input, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.options.eps ?? 1e-5 });
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.options.eps ?? 1e-5)}, affine=${this.weight ? 'True' : 'False'}`;
  }
}

export class LocalResponseNorm extends Module {
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;

  constructor(readonly size: number, options: F.LocalResponseNormOptions = {}) {
    super();
    const { alpha = 1e-4, beta = 0.75, k = 1 } = options;
    [this.alpha, this.beta, this.k] = [alpha, beta, k];
  }

  override forward(input: Tensor): Tensor {
    return F.localResponseNorm(input, this.size, { alpha: this.alpha, beta: this.beta, k: this.k });
  }

  override extraRepr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}`;
  }
}

export interface RMSNormOptions extends FactoryOptions {
  /** null: the machine epsilon of the computation type, as PyTorch's eps=None. */
  eps?: number | null;
  elementwiseAffine?: boolean;
}

/** Root mean square normalization over the last dimensions, with a learnable scale (ones). */
export class RMSNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number | null;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;

  constructor(normalizedShape: number | number[], options: RMSNormOptions = {}) {
    super();
    const { eps = null, elementwiseAffine = true, ...factory } = options;
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = eps;
    this.elementwiseAffine = elementwiseAffine;
    this.weight = elementwiseAffine ? new Parameter(ones(this.normalizedShape, factory)) : null;
  }

  override forward(input: Tensor): Tensor {
    return F.rmsNorm(input, this.normalizedShape, { weight: this.weight, eps: this.eps });
  }

  override extraRepr(): string {
    const shape = `(${this.normalizedShape.join(', ')}${this.normalizedShape.length === 1 ? ',' : ''})`;
    return `${shape}, eps=${this.eps === null ? 'None' : pyFloat(this.eps)}, elementwise_affine=${this.elementwiseAffine ? 'True' : 'False'}`;
  }
}
