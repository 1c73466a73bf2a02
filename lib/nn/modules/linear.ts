// nn.Linear and nn.Identity, initialized exactly as PyTorch's reset_parameters does.
import type { Tensor } from '../../tensor';
import type { DType } from '../../dtype';
import type { DeviceLike } from '../../device';
import { empty } from '../../generated/functions';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as init from '../init';
import * as F from '../functional';

export interface FactoryOptions {
  device?: DeviceLike;
  dtype?: DType;
}

/**
 * PyTorch's reset_parameters for Linear and the convolutions: kaiming_uniform_(a=sqrt(5)),
 * which is U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and the bias with the same bound.
 */
export function resetLinearParameters(weight: Tensor, bias: Tensor | null): void {
  init.kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias) {
    const [fanIn] = init.calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    init.uniform_(bias, -bound, bound);
  }
}

export class Identity extends Module {
  override forward(input: Tensor): Tensor {
    return input;
  }
}

export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, options: FactoryOptions & { bias?: boolean } = {}) {
    super();
    const { bias = true, ...factory } = options;
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(empty([outFeatures, inFeatures], factory));
    this.bias = bias ? new Parameter(empty([outFeatures], factory)) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    resetLinearParameters(this.weight, this.bias);
  }

  override forward(input: Tensor): Tensor {
    return F.linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
  }
}

/** y = x1^T A x2 + b, initialized as PyTorch's Bilinear (U(-1/sqrt(in1), 1/sqrt(in1))). */
export class Bilinear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(readonly in1Features: number, readonly in2Features: number, readonly outFeatures: number,
    options: FactoryOptions & { bias?: boolean } = {}) {
    super();
    const { bias = true, ...factory } = options;
    this.weight = new Parameter(empty([outFeatures, in1Features, in2Features], factory));
    this.bias = bias ? new Parameter(empty([outFeatures], factory)) : null;
    const bound = 1 / Math.sqrt(in1Features);
    init.uniform_(this.weight, -bound, bound);
    if (this.bias) init.uniform_(this.bias, -bound, bound);
  }

  override forward(input1: Tensor, input2: Tensor): Tensor {
    return F.bilinear(input1, input2, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
  }
}
