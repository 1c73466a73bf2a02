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
    // kaiming_uniform_(a=sqrt(5)) gives U(-1/sqrt(fan_in), 1/sqrt(fan_in)), the bias the same bound.
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fanIn] = init.calculateFanInAndFanOut(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }

  override forward(input: Tensor): Tensor {
    return F.linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
  }
}
