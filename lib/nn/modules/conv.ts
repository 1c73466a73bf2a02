// Conv1d/2d/3d and ConvTranspose1d/2d/3d, with PyTorch's parameter shapes, initialization
// (resetLinearParameters, as PyTorch's _ConvNd.reset_parameters), padding modes and printing.
import type { Tensor } from '../../tensor';
import { empty } from '../../generated/functions';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as F from '../functional';
import { resetLinearParameters, type FactoryOptions } from './linear';
import type { Size } from '../types';

export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';
const PADDING_MODES = ['zeros', 'reflect', 'replicate', 'circular'];
const tuple = (v: Size, n: number): number[] => (typeof v === 'number' ? new Array(n).fill(v) : v);
const pyTuple = (v: number[]) => `(${v.join(', ')}${v.length === 1 ? ',' : ''})`;

export interface ConvModuleOptions extends FactoryOptions {
  stride?: Size;
  padding?: Size | 'same' | 'valid';
  dilation?: Size;
  groups?: number;
  bias?: boolean;
  paddingMode?: PaddingMode;
}

abstract class ConvNd extends Module {
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | 'same' | 'valid';
  readonly dilation: number[];
  readonly groups: number;
  readonly outputPadding: number[];
  readonly paddingMode: PaddingMode;
  weight: Parameter;
  bias: Parameter | null;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: Size, protected readonly dims: number,
    readonly transposed: boolean, options: ConvModuleOptions & { outputPadding?: Size }) {
    super();
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, outputPadding = 0, paddingMode = 'zeros', ...factory } = options;
    if (groups <= 0) throw new Error('groups must be a positive integer');
    if (inChannels % groups !== 0) throw new Error('in_channels must be divisible by groups');
    if (outChannels % groups !== 0) throw new Error('out_channels must be divisible by groups');
    if (typeof padding === 'string') {
      if (padding !== 'same' && padding !== 'valid') throw new Error(`Invalid padding string '${String(padding)}', should be one of ['valid', 'same']`);
      if (padding === 'same' && tuple(stride, dims).some((s) => s !== 1)) throw new Error("padding='same' is not supported for strided convolutions");
    }
    if (!PADDING_MODES.includes(paddingMode)) {
      throw new Error(`padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], but got padding_mode='${String(paddingMode)}'`);
    }
    if (transposed && paddingMode !== 'zeros') throw new Error(`Only "zeros" padding mode is supported for ${new.target.name}`);
    this.kernelSize = tuple(kernelSize, dims);
    this.stride = tuple(stride, dims);
    this.padding = typeof padding === 'string' ? padding : tuple(padding, dims);
    this.dilation = tuple(dilation, dims);
    this.groups = groups;
    this.outputPadding = tuple(outputPadding, dims);
    this.paddingMode = paddingMode;
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
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${pyTuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.outputPadding.some((d) => d !== 0)) s += `, output_padding=${pyTuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ', bias=False';
    if (this.paddingMode !== 'zeros') s += `, padding_mode=${this.paddingMode}`;
    return s;
  }

  /** F.pad's list for a non-zeros padding mode: last dimension first, [left, right] each ('same' may be uneven). */
  private reversedPadding(): number[] {
    const out: number[] = [];
    for (let i = this.dims - 1; i >= 0; i--) {
      if (this.padding === 'valid') out.push(0, 0);
      else if (this.padding === 'same') {
        const total = this.dilation[i] * (this.kernelSize[i] - 1);
        out.push(Math.floor(total / 2), total - Math.floor(total / 2));
      } else out.push(this.padding[i], this.padding[i]);
    }
    return out;
  }

  protected conv(op: typeof F.conv1d, input: Tensor): Tensor {
    const options = { stride: this.stride, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode === 'zeros') return op(input, this.weight, this.bias, { ...options, padding: this.padding });
    const padded = F.pad(input, this.reversedPadding(), { mode: this.paddingMode });
    return op(padded, this.weight, this.bias, { ...options, padding: 0 });
  }

  /** output_padding that makes a transposed convolution produce outputSize (PyTorch's _output_padding). */
  protected outputPaddingFor(input: Tensor, outputSize: number[] | null): number[] {
    if (outputSize === null) return this.outputPadding;
    const nonSpatial = input.dim() === this.dims + 2 ? 2 : 1;
    const size = outputSize.length === nonSpatial + this.dims ? outputSize.slice(nonSpatial) : outputSize;
    if (size.length !== this.dims) {
      throw new Error(`ConvTranspose${this.dims}D: for ${input.dim()}D input, output_size must have ${this.dims} or ${nonSpatial + this.dims} elements (got ${size.length})`);
    }
    const padding = this.padding as number[];
    const minSizes = size.map((_, d) => (input.size(d + nonSpatial) - 1) * this.stride[d] - 2 * padding[d]
      + this.dilation[d] * (this.kernelSize[d] - 1) + 1);
    const maxSizes = minSizes.map((m, d) => m + this.stride[d] - 1);
    size.forEach((s, i) => {
      if (s < minSizes[i] || s > maxSizes[i]) {
        throw new Error(`requested an output size of [${size.join(', ')}], but valid sizes range from [${minSizes.join(', ')}] to [${maxSizes.join(', ')}] (for an input of [${input.shape.slice(nonSpatial).join(', ')}])`);
      }
    });
    return size.map((s, d) => s - minSizes[d]);
  }

  protected convTranspose(op: typeof F.convTranspose1d, input: Tensor, size: OutputSize): Tensor {
    const outputSize = size === null || Array.isArray(size) ? size : size.outputSize ?? null;
    return op(input, this.weight, this.bias, {
      stride: this.stride, padding: this.padding as number[], outputPadding: this.outputPaddingFor(input, outputSize),
      groups: this.groups, dilation: this.dilation,
    });
  }
}

export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, options: ConvModuleOptions = {}) {
    super(inChannels, outChannels, kernelSize, 1, false, options);
  }
  override forward(input: Tensor): Tensor { return this.conv(F.conv1d, input); }
}

export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, options: ConvModuleOptions = {}) {
    super(inChannels, outChannels, kernelSize, 2, false, options);
  }
  override forward(input: Tensor): Tensor { return this.conv(F.conv2d, input); }
}

export class Conv3d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, options: ConvModuleOptions = {}) {
    super(inChannels, outChannels, kernelSize, 3, false, options);
  }
  override forward(input: Tensor): Tensor { return this.conv(F.conv3d, input); }
}

export interface ConvTransposeModuleOptions extends Omit<ConvModuleOptions, 'padding'> {
  padding?: Size;
  outputPadding?: Size;
}

/** forward(input, outputSize?) or forward(input, { outputSize }) picks the output padding that gives outputSize, as in PyTorch. */
type OutputSize = number[] | null | { outputSize?: number[] | null };

export class ConvTranspose1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, options: ConvTransposeModuleOptions = {}) {
    super(inChannels, outChannels, kernelSize, 1, true, options);
  }
  override forward(input: Tensor, outputSize: OutputSize = null): Tensor { return this.convTranspose(F.convTranspose1d, input, outputSize); }
}

export class ConvTranspose2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, options: ConvTransposeModuleOptions = {}) {
    super(inChannels, outChannels, kernelSize, 2, true, options);
  }
  override forward(input: Tensor, outputSize: OutputSize = null): Tensor { return this.convTranspose(F.convTranspose2d, input, outputSize); }
}

export class ConvTranspose3d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, options: ConvTransposeModuleOptions = {}) {
    super(inChannels, outChannels, kernelSize, 3, true, options);
  }
  override forward(input: Tensor, outputSize: OutputSize = null): Tensor { return this.convTranspose(F.convTranspose3d, input, outputSize); }
}
