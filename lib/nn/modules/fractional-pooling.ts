// FractionalMaxPool2d/3d over nn.functional, with PyTorch's checks; fixed random samples, when
// given, are the buffer `_random_samples` (in the state dict, as in PyTorch).
import type { Tensor } from '../../tensor';
import { Module } from '../module';
import * as F from '../functional';
import type { Size } from '../types';

export interface FractionalMaxPoolModuleOptions<R extends boolean = boolean> extends F.FractionalMaxPoolOptions {
  returnIndices?: R;
}
type Pooled<R extends boolean> = R extends true ? [Tensor, Tensor] : Tensor;

class FractionalMaxPoolNd<R extends boolean> extends Module {
  readonly kernelSize: number[];
  readonly outputSize: number[] | null;
  readonly outputRatio: number[] | null;
  readonly returnIndices: boolean;
  declare _randomSamples: Tensor | null;

  constructor(private readonly d: 2 | 3, kernelSize: Size, options: FractionalMaxPoolModuleOptions<R>) {
    super();
    const tuple = (v: Size) => (typeof v === 'number' ? Array<number>(d).fill(v) : [...v]);
    const { outputSize = null, outputRatio = null } = options;
    const kernels = tuple(kernelSize);
    if (d === 3 && !kernels.every((k) => k > 0)) throw new Error(`kernel_size must greater than 0, but got ${pySize(kernelSize)}`);
    this.kernelSize = kernels;
    this.returnIndices = options.returnIndices ?? false;
    this.registerBuffer('_randomSamples', options.randomSamples ?? null);
    this.outputSize = outputSize === null ? null : tuple(outputSize);
    this.outputRatio = outputRatio === null ? null : tuple(outputRatio);
    if (outputSize === null && outputRatio === null) {
      throw new Error(`FractionalMaxPool${d}d requires specifying either an output size, or a pooling ratio`);
    }
    if (outputSize !== null && outputRatio !== null) throw new Error('only one of output_size and output_ratio may be specified');
    if (this.outputRatio !== null && !this.outputRatio.slice(0, d).every((r) => r > 0 && r < 1)) {
      throw new Error(`output_ratio must be between 0 and 1 (got ${pySize(outputRatio!)})`);
    }
  }

  override forward(input: Tensor): Pooled<R> {
    const options = { outputSize: this.outputSize, outputRatio: this.outputRatio, randomSamples: this._randomSamples };
    const pair = this.d === 2 ? F.fractionalMaxPool2dWithIndices(input, this.kernelSize, options)
      : F.fractionalMaxPool3dWithIndices(input, this.kernelSize, options);
    return (this.returnIndices ? pair : pair[0]) as Pooled<R>;
  }
}

/** Python's text of an int or a tuple (as PyTorch's messages print them). */
const pySize = (v: Size) => (Array.isArray(v) ? `(${v.join(', ')}${v.length === 1 ? ',' : ''})` : String(v));

/** forward returns the values, or [values, indices] when made with { returnIndices: true }. */
export class FractionalMaxPool2d<R extends boolean = false> extends FractionalMaxPoolNd<R> {
  constructor(kernelSize: Size, options: FractionalMaxPoolModuleOptions<R> = {}) { super(2, kernelSize, options); }
}

/** forward returns the values, or [values, indices] when made with { returnIndices: true }. */
export class FractionalMaxPool3d<R extends boolean = false> extends FractionalMaxPoolNd<R> {
  constructor(kernelSize: Size, options: FractionalMaxPoolModuleOptions<R> = {}) { super(3, kernelSize, options); }
}
