// Max, average and adaptive pooling modules over nn.functional, printed as PyTorch prints them.
import type { Tensor } from '../../tensor';
import { Module } from '../module';
import * as F from '../functional';
import type { Size } from '../types';

const show = (v: Size | null) => (v === null ? 'None' : Array.isArray(v) ? `(${v.join(', ')}${v.length === 1 ? ',' : ''})` : String(v));
const bool = (b: boolean) => (b ? 'True' : 'False');
type Pooled<R extends boolean> = R extends true ? [Tensor, Tensor] : Tensor;

/** forward returns the values, or [values, indices] when made with { returnIndices: true }. */
class MaxPoolNd<R extends boolean = false> extends Module {
  readonly stride: Size;
  readonly padding: Size;
  readonly dilation: Size;
  readonly ceilMode: boolean;
  readonly returnIndices: boolean;

  constructor(readonly kernelSize: Size, options: F.PoolOptions & { returnIndices?: R } = {}) {
    super();
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.ceilMode = options.ceilMode ?? false;
    this.returnIndices = options.returnIndices ?? false;
  }

  protected get options(): never {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode, returnIndices: this.returnIndices } as never;
  }
  override extraRepr(): string {
    return `kernel_size=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${show(this.padding)}, dilation=${show(this.dilation)}, ceil_mode=${bool(this.ceilMode)}`;
  }
}

export class MaxPool1d<R extends boolean = false> extends MaxPoolNd<R> {
  override forward(input: Tensor): Pooled<R> { return F.maxPool1d(input, this.kernelSize, this.options) as Pooled<R>; }
}

export class MaxPool2d<R extends boolean = false> extends MaxPoolNd<R> {
  override forward(input: Tensor): Pooled<R> { return F.maxPool2d(input, this.kernelSize, this.options) as Pooled<R>; }
}

export class MaxPool3d<R extends boolean = false> extends MaxPoolNd<R> {
  override forward(input: Tensor): Pooled<R> { return F.maxPool3d(input, this.kernelSize, this.options) as Pooled<R>; }
}

class AvgPoolNd extends Module {
  constructor(readonly kernelSize: Size, readonly options: F.AvgPoolOptions = {}) { super(); }
  override extraRepr(): string {
    return `kernel_size=${show(this.kernelSize)}, stride=${show(this.options.stride ?? this.kernelSize)}, padding=${show(this.options.padding ?? 0)}`;
  }
}

/** PyTorch's AvgPool1d keeps its sizes as 1-tuples, and prints them so. */
export class AvgPool1d extends AvgPoolNd {
  override forward(input: Tensor): Tensor { return F.avgPool1d(input, this.kernelSize, this.options); }
  override extraRepr(): string {
    const one = (v: Size) => show(typeof v === 'number' ? [v] : v);
    return `kernel_size=${one(this.kernelSize)}, stride=${one(this.options.stride ?? this.kernelSize)}, padding=${one(this.options.padding ?? 0)}`;
  }
}

export class AvgPool2d extends AvgPoolNd {
  override forward(input: Tensor): Tensor { return F.avgPool2d(input, this.kernelSize, this.options); }
}

export class AvgPool3d extends AvgPoolNd {
  override forward(input: Tensor): Tensor { return F.avgPool3d(input, this.kernelSize, this.options); }
}

class AdaptivePool extends Module {
  constructor(readonly outputSize: Size) { super(); }
  override extraRepr(): string { return `output_size=${show(this.outputSize)}`; }
}

export class AdaptiveAvgPool1d extends AdaptivePool {
  override forward(input: Tensor): Tensor { return F.adaptiveAvgPool1d(input, this.outputSize); }
}

export class AdaptiveAvgPool2d extends AdaptivePool {
  override forward(input: Tensor): Tensor { return F.adaptiveAvgPool2d(input, this.outputSize); }
}

export class AdaptiveAvgPool3d extends AdaptivePool {
  override forward(input: Tensor): Tensor { return F.adaptiveAvgPool3d(input, this.outputSize); }
}

/** forward returns the values, or [values, indices] when made with { returnIndices: true }. */
class AdaptiveMaxPool<R extends boolean> extends AdaptivePool {
  readonly returnIndices: boolean;
  constructor(outputSize: Size, options: { returnIndices?: R } = {}) {
    super(outputSize);
    this.returnIndices = options.returnIndices ?? false;
  }
  protected get options(): never { return { returnIndices: this.returnIndices } as never; }
}

export class AdaptiveMaxPool1d<R extends boolean = false> extends AdaptiveMaxPool<R> {
  override forward(input: Tensor): Pooled<R> { return F.adaptiveMaxPool1d(input, this.outputSize, this.options) as Pooled<R>; }
}

export class AdaptiveMaxPool2d<R extends boolean = false> extends AdaptiveMaxPool<R> {
  override forward(input: Tensor): Pooled<R> { return F.adaptiveMaxPool2d(input, this.outputSize, this.options) as Pooled<R>; }
}

export class AdaptiveMaxPool3d<R extends boolean = false> extends AdaptiveMaxPool<R> {
  override forward(input: Tensor): Pooled<R> { return F.adaptiveMaxPool3d(input, this.outputSize, this.options) as Pooled<R>; }
}

/** Undoes MaxPoolNd given its indices; PyTorch keeps and prints the sizes as d-tuples. */
class MaxUnpoolNd extends Module {
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[];

  constructor(protected readonly d: number, kernelSize: Size, options: { stride?: Size | null; padding?: Size } = {}) {
    super();
    const tuple = (v: Size) => (typeof v === 'number' ? Array<number>(d).fill(v) : [...v]);
    this.kernelSize = tuple(kernelSize);
    this.stride = tuple(options.stride ?? kernelSize);
    this.padding = tuple(options.padding ?? 0);
  }

  override forward(input: Tensor, indices: Tensor, outputSize: number[] | null = null): Tensor {
    const fn = [F.maxUnpool1d, F.maxUnpool2d, F.maxUnpool3d][this.d - 1];
    return fn(input, indices, this.kernelSize, { stride: this.stride, padding: this.padding, outputSize });
  }
  override extraRepr(): string {
    return `kernel_size=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${show(this.padding)}`;
  }
}

export class MaxUnpool1d extends MaxUnpoolNd {
  constructor(kernelSize: Size, options: { stride?: Size | null; padding?: Size } = {}) { super(1, kernelSize, options); }
}

export class MaxUnpool2d extends MaxUnpoolNd {
  constructor(kernelSize: Size, options: { stride?: Size | null; padding?: Size } = {}) { super(2, kernelSize, options); }
}

export class MaxUnpool3d extends MaxUnpoolNd {
  constructor(kernelSize: Size, options: { stride?: Size | null; padding?: Size } = {}) { super(3, kernelSize, options); }
}

/** Power-average pooling; PyTorch keeps the sizes as given and prints them so. */
class LPPoolNd extends Module {
  readonly stride: Size | null;
  readonly ceilMode: boolean;

  constructor(readonly normType: number, readonly kernelSize: Size, options: F.LPPoolOptions = {}) {
    super();
    this.stride = options.stride ?? null;
    this.ceilMode = options.ceilMode ?? false;
  }

  protected get options(): F.LPPoolOptions { return { stride: this.stride, ceilMode: this.ceilMode }; }
  override extraRepr(): string {
    return `norm_type=${this.normType}, kernel_size=${show(this.kernelSize)}, stride=${show(this.stride)}, ceil_mode=${bool(this.ceilMode)}`;
  }
}

export class LPPool1d extends LPPoolNd {
  override forward(input: Tensor): Tensor { return F.lpPool1d(input, this.normType, this.kernelSize, this.options); }
}

export class LPPool2d extends LPPoolNd {
  override forward(input: Tensor): Tensor { return F.lpPool2d(input, this.normType, this.kernelSize, this.options); }
}

export class LPPool3d extends LPPoolNd {
  override forward(input: Tensor): Tensor { return F.lpPool3d(input, this.normType, this.kernelSize, this.options); }
}
