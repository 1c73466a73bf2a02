// Conv1d/2d/3d and ConvTranspose1d/2d, with PyTorch's parameter shapes and initialization
// (resetLinearParameters, as PyTorch's _ConvNd.reset_parameters).
import type { Tensor } from '../../tensor';
import { empty } from '../../generated/functions';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as F from '../functional';
import { resetLinearParameters, type FactoryOptions } from './linear';

type Size = number | number[];
const tuple = (v: Size, n: number): number[] => (typeof v === 'number' ? new Array(n).fill(v) : v);
const pyTuple = (v: number[]) => `(${v.join(', ')}${v.length === 1 ? ',' : ''})`;

export interface ConvModuleOptions extends FactoryOptions {
  stride?: Size;
  padding?: Size | 'same' | 'valid';
  dilation?: Size;
  groups?: number;
  bias?: boolean;
}

abstract class ConvNd extends Module {
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | 'same' | 'valid';
  readonly dilation: number[];
  readonly groups: number;
  readonly outputPadding: number[];
  weight: Parameter;
  bias: Parameter | null;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: Size, dims: number,
    transposed: boolean, options: ConvModuleOptions & { outputPadding?: Size }) {
    super();
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, outputPadding = 0, ...factory } = options;
    if (inChannels % groups !== 0) throw new Error('in_channels must be divisible by groups');
    if (outChannels % groups !== 0) throw new Error('out_channels must be divisible by groups');
    this.kernelSize = tuple(kernelSize, dims);
    this.stride = tuple(stride, dims);
    this.padding = typeof padding === 'string' ? padding : tuple(padding, dims);
    this.dilation = tuple(dilation, dims);
    this.groups = groups;
    this.outputPadding = tuple(outputPadding, dims);
    const shape = transposed ? [inChannels, outChannels / groups, ...this.kernelSize] : [outChannels, inChannels / groups, ...this.kernelSize];
    this.weight = new Parameter(empty(shape, factory));
    this.bias = bias ? new Parameter(empty([outChannels], factory)) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    resetLinearParameters(this.weight, this.bias);
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    const padding = typeof this.padding === 'string' ? `'${this.padding}'` : pyTuple(this.padding);
    if (typeof this.padding === 'string' || this.padding.some((p) => p !== 0)) s += `, padding=${padding}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.outputPadding.some((d) => d !== 0)) s += `, output_padding=${pyTuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ', bias=False';
    return s;
  }

  protected convOptions(): F.ConvOptions {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups };
  }
}

export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, options: ConvModuleOptions = {}) {
    super(inChannels, outChannels, kernelSize, 1, false, options);
  }
  override forward(input: Tensor): Tensor { return F.conv1d(input, this.weight, this.bias, this.convOptions()); }
}

export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, options: ConvModuleOptions = {}) {
    super(inChannels, outChannels, kernelSize, 2, false, options);
  }
  override forward(input: Tensor): Tensor { return F.conv2d(input, this.weight, this.bias, this.convOptions()); }
}

export class Conv3d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, options: ConvModuleOptions = {}) {
    super(inChannels, outChannels, kernelSize, 3, false, options);
  }
  override forward(input: Tensor): Tensor { return F.conv3d(input, this.weight, this.bias, this.convOptions()); }
}

export interface ConvTransposeModuleOptions extends Omit<ConvModuleOptions, 'padding'> {
  padding?: Size;
  outputPadding?: Size;
}

export class ConvTranspose1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, options: ConvTransposeModuleOptions = {}) {
    super(inChannels, outChannels, kernelSize, 1, true, options);
  }
  override forward(input: Tensor): Tensor {
    return F.convTranspose1d(input, this.weight, this.bias, { ...this.convOptions() as F.ConvTransposeOptions, outputPadding: this.outputPadding });
  }
}

export class ConvTranspose2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, options: ConvTransposeModuleOptions = {}) {
    super(inChannels, outChannels, kernelSize, 2, true, options);
  }
  override forward(input: Tensor): Tensor {
    return F.convTranspose2d(input, this.weight, this.bias, { ...this.convOptions() as F.ConvTransposeOptions, outputPadding: this.outputPadding });
  }
}
