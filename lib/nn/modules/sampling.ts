// Upsample (and its nearest/bilinear shorthands), PixelShuffle/PixelUnshuffle, Unfold/Fold:
// modules over nn.functional with PyTorch's printouts.
import type { Tensor } from '../../tensor';
import { Module } from '../module';
import * as F from '../functional';
import { pyFloat } from '../repr';
import type { Size } from '../types';

const show = (v: Size) => (Array.isArray(v) ? `(${v.join(', ')}${v.length === 1 ? ',' : ''})` : String(v));

export interface UpsampleOptions {
  size?: Size | null;
  scaleFactor?: number | number[] | null;
  mode?: F.InterpolateMode;
  alignCorners?: boolean | null;
  recomputeScaleFactor?: boolean | null;
}

export class Upsample extends Module {
  readonly size: Size | null;
  readonly scaleFactor: number | number[] | null;
  readonly mode: F.InterpolateMode;
  readonly alignCorners: boolean | null;
  readonly recomputeScaleFactor: boolean | null;

  constructor(options: UpsampleOptions = {}) {
    super();
    this.size = options.size ?? null;
    this.scaleFactor = options.scaleFactor ?? null;
    this.mode = options.mode ?? 'nearest';
    this.alignCorners = options.alignCorners ?? null;
    this.recomputeScaleFactor = options.recomputeScaleFactor ?? null;
  }

  override forward(input: Tensor): Tensor {
    return F.interpolate(input, {
      size: this.size, scaleFactor: this.scaleFactor, mode: this.mode, alignCorners: this.alignCorners,
      recomputeScaleFactor: this.recomputeScaleFactor,
    });
  }

  override extraRepr(): string {
    const s = this.scaleFactor;
    const info = s !== null ? `scale_factor=${Array.isArray(s) ? `(${s.map(pyFloat).join(', ')})` : pyFloat(s)}`
      : `size=${this.size === null ? 'None' : show(this.size)}`;
    return `${info}, mode='${this.mode}'`;
  }
}

export class UpsamplingNearest2d extends Upsample {
  constructor(options: { size?: Size | null; scaleFactor?: number | number[] | null } = {}) {
    super({ ...options, mode: 'nearest' });
  }
}

export class UpsamplingBilinear2d extends Upsample {
  constructor(options: { size?: Size | null; scaleFactor?: number | number[] | null } = {}) {
    super({ ...options, mode: 'bilinear', alignCorners: true });
  }
}

export class PixelShuffle extends Module {
  constructor(readonly upscaleFactor: number) { super(); }
  override forward(input: Tensor): Tensor { return F.pixelShuffle(input, this.upscaleFactor); }
  override extraRepr(): string { return `upscale_factor=${this.upscaleFactor}`; }
}

export class PixelUnshuffle extends Module {
  constructor(readonly downscaleFactor: number) { super(); }
  override forward(input: Tensor): Tensor { return F.pixelUnshuffle(input, this.downscaleFactor); }
  override extraRepr(): string { return `downscale_factor=${this.downscaleFactor}`; }
}

/** Sliding blocks of an image as columns (im2col). */
export class Unfold extends Module {
  readonly dilation: Size;
  readonly padding: Size;
  readonly stride: Size;
  constructor(readonly kernelSize: Size, options: F.UnfoldOptions = {}) {
    super();
    this.dilation = options.dilation ?? 1;
    this.padding = options.padding ?? 0;
    this.stride = options.stride ?? 1;
  }
  override forward(input: Tensor): Tensor {
    return F.unfold(input, this.kernelSize, { dilation: this.dilation, padding: this.padding, stride: this.stride });
  }
  override extraRepr(): string {
    return `kernel_size=${show(this.kernelSize)}, dilation=${show(this.dilation)}, padding=${show(this.padding)}, stride=${show(this.stride)}`;
  }
}

/** Columns summed back into an image (col2im), the inverse of Unfold. */
export class Fold extends Unfold {
  constructor(readonly outputSize: Size, kernelSize: Size, options: F.UnfoldOptions = {}) {
    super(kernelSize, options);
  }
  override forward(input: Tensor): Tensor {
    return F.fold(input, this.outputSize, this.kernelSize, { dilation: this.dilation, padding: this.padding, stride: this.stride });
  }
  override extraRepr(): string { return `output_size=${show(this.outputSize)}, ${super.extraRepr()}`; }
}
