// Max, average and adaptive pooling modules over nn.functional.
import type { Tensor } from '../../tensor';
import { Module } from '../module';
import * as F from '../functional';

type Size = number | number[];
const show = (v: Size | null) => (v === null ? 'None' : Array.isArray(v) ? `(${v.join(', ')})` : String(v));

class MaxPoolNd extends Module {
  readonly stride: Size;
  readonly padding: Size;
  readonly dilation: Size;
  readonly ceilMode: boolean;

  constructor(readonly kernelSize: Size, options: F.PoolOptions = {}) {
    super();
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.ceilMode = options.ceilMode ?? false;
  }

  protected get options(): F.PoolOptions {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
  }
  override extraRepr(): string {
    return `kernel_size=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${show(this.padding)}, dilation=${show(this.dilation)}, ceil_mode=${this.ceilMode ? 'True' : 'False'}`;
  }
}

export class MaxPool1d extends MaxPoolNd {
  override forward(input: Tensor): Tensor { return F.maxPool1d(input, this.kernelSize, this.options); }
}

export class MaxPool2d extends MaxPoolNd {
  override forward(input: Tensor): Tensor { return F.maxPool2d(input, this.kernelSize, this.options); }
}

class AvgPoolNd extends Module {
  constructor(readonly kernelSize: Size, readonly options: F.AvgPoolOptions = {}) { super(); }
  override extraRepr(): string {
    return `kernel_size=${show(this.kernelSize)}, stride=${show(this.options.stride ?? this.kernelSize)}, padding=${show(this.options.padding ?? 0)}`;
  }
}

export class AvgPool1d extends AvgPoolNd {
  override forward(input: Tensor): Tensor { return F.avgPool1d(input, this.kernelSize, this.options); }
}

export class AvgPool2d extends AvgPoolNd {
  override forward(input: Tensor): Tensor { return F.avgPool2d(input, this.kernelSize, this.options); }
}

export class AdaptiveAvgPool1d extends Module {
  constructor(readonly outputSize: Size) { super(); }
  override forward(input: Tensor): Tensor { return F.adaptiveAvgPool1d(input, this.outputSize); }
  override extraRepr(): string { return `output_size=${show(this.outputSize)}`; }
}

export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: Size) { super(); }
  override forward(input: Tensor): Tensor { return F.adaptiveAvgPool2d(input, this.outputSize); }
  override extraRepr(): string { return `output_size=${show(this.outputSize)}`; }
}
