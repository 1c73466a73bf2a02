// BatchNorm1d/2d, LayerNorm, GroupNorm: PyTorch's parameters, buffers and defaults.
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
  momentum?: number;
  affine?: boolean;
  trackRunningStats?: boolean;
}

abstract class BatchNorm extends Module {
  readonly eps: number;
  readonly momentum: number;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  declare runningMean: Tensor | null;
  declare runningVar: Tensor | null;
  declare numBatchesTracked: Tensor | null;

  constructor(readonly numFeatures: number, options: BatchNormOptions = {}) {
    super();
    const { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, ...factory } = options;
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

  protected abstract checkInput(input: Tensor): void;

  override forward(input: Tensor): Tensor {
    this.checkInput(input);
    if (this.training && this.trackRunningStats && this.numBatchesTracked) {
      const counter = this.numBatchesTracked;
      noGrad(() => counter.add_(1));
    }
    const useBatchStats = this.training || this.runningMean === null;
    return F.batchNorm(input, useBatchStats && !this.trackRunningStats ? null : this.runningMean,
      useBatchStats && !this.trackRunningStats ? null : this.runningVar,
      { weight: this.weight, bias: this.bias, training: useBatchStats, momentum: this.momentum, eps: this.eps });
  }

  override extraRepr(): string {
    const b = (v: boolean) => (v ? 'True' : 'False');
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${pyFloat(this.momentum)}, affine=${b(this.affine)}, track_running_stats=${b(this.trackRunningStats)}`;
  }
}

export class BatchNorm1d extends BatchNorm {
  protected checkInput(input: Tensor): void {
    if (input.dim() !== 2 && input.dim() !== 3) throw new Error(`expected 2D or 3D input (got ${input.dim()}D input)`);
  }
}

export class BatchNorm2d extends BatchNorm {
  protected checkInput(input: Tensor): void {
    if (input.dim() !== 4) throw new Error(`expected 4D input (got ${input.dim()}D input)`);
  }
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
