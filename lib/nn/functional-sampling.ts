// torch.nn.functional's resampling: interpolate (nearest, nearest-exact, area, linear,
// bilinear, bicubic, trilinear, antialias), and unfold/fold (im2col/col2im), as PyTorch's
// wrappers choose the aten operator.
import type { Tensor } from '../tensor';
import { makeNamespace } from '../ops/overload';
import { atenOp } from '../ops/aten';
import { overloads, nn as nnTable } from '../generated/ops';
import * as torch from '../generated/functions';
import type { Size } from './types';

const C = makeNamespace('torch._C._nn.', overloads, nnTable) as Record<string, (...args: unknown[]) => Tensor>;
const aten = (name: string) => atenOp(name)! as (...args: unknown[]) => Tensor;

export type InterpolateMode = 'nearest' | 'nearest-exact' | 'area' | 'linear' | 'bilinear' | 'bicubic' | 'trilinear';

export interface InterpolateOptions {
  size?: Size | null;
  scaleFactor?: number | number[] | null;
  mode?: InterpolateMode;
  alignCorners?: boolean | null;
  recomputeScaleFactor?: boolean | null;
  antialias?: boolean;
}

const SPATIAL: Record<string, number> = { linear: 3, bilinear: 4, trilinear: 5 };

/** F.interpolate(x, { scaleFactor: 2 }); the size may also come second, as Python's positional size. */
export function interpolate(input: Tensor, sizeOrOptions: Size | InterpolateOptions = {}, more: InterpolateOptions = {}): Tensor {
  const options = typeof sizeOrOptions === 'number' || Array.isArray(sizeOrOptions) ? { ...more, size: sizeOrOptions } : sizeOrOptions;
  const { size = null, scaleFactor = null, mode = 'nearest', recomputeScaleFactor = null, antialias = false } = options;
  let alignCorners = options.alignCorners ?? null;
  if (mode === 'nearest' || mode === 'area' || mode === 'nearest-exact') {
    if (alignCorners !== null) {
      throw new Error('align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear');
    }
  } else alignCorners ??= false;
  const dim = input.dim() - 2;
  const spatial = `[${input.shape.slice(2).join(', ')}]`;
  let outputSize: number[] | null = null;
  let scales: number[] | null = null;
  if (size !== null && scaleFactor !== null) throw new Error('only one of size or scale_factor should be defined');
  if (size !== null) {
    if (Array.isArray(size) && size.length !== dim) {
      throw new Error(`Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ${spatial} and output size of [${size.join(', ')}]. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.`);
    }
    outputSize = Array.isArray(size) ? size : new Array<number>(dim).fill(size);
  } else if (scaleFactor !== null) {
    if (Array.isArray(scaleFactor) && scaleFactor.length !== dim) {
      throw new Error(`Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of ${spatial} and scale_factor of shape [${scaleFactor.join(', ')}]. Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.`);
    }
    scales = Array.isArray(scaleFactor) ? scaleFactor : new Array<number>(dim).fill(scaleFactor);
  } else throw new Error('either size or scale_factor should be defined');
  if (recomputeScaleFactor && size !== null) throw new Error('recompute_scale_factor is not meaningful with an explicit size.');
  // area always needs an output size; a recomputed scale passes the size only, as in PyTorch.
  if (scales && (recomputeScaleFactor || mode === 'area')) {
    outputSize = scales.map((s, i) => Math.trunc(input.size(i + 2) * s));
    scales = null;
  }
  if (antialias && !((mode === 'bilinear' || mode === 'bicubic') && input.dim() === 4)) {
    throw new Error('Anti-alias option is restricted to bilinear and bicubic modes and requires a 4-D tensor as input');
  }
  const d = input.dim();
  if (d >= 3 && d <= 5) {
    if (mode === 'nearest') return C[`upsampleNearest${d - 2}d`](input, outputSize, scales);
    if (mode === 'nearest-exact') return aten(`_upsample_nearest_exact${d - 2}d`)(input, outputSize, scales);
    if (mode === 'area') return d === 3 ? torch.adaptiveAvgPool1d(input, outputSize!) : C[`adaptiveAvgPool${d - 2}d`](input, outputSize);
    if (mode === 'linear' && d === 3) return C.upsampleLinear1d(input, outputSize, alignCorners, scales);
    if (mode === 'bilinear' && d === 4) {
      return antialias ? aten('_upsample_bilinear2d_aa')(input, outputSize, alignCorners, scales) : C.upsampleBilinear2d(input, outputSize, alignCorners, scales);
    }
    if (mode === 'trilinear' && d === 5) return C.upsampleTrilinear3d(input, outputSize, alignCorners, scales);
    if (mode === 'bicubic' && d === 4) {
      return antialias ? aten('_upsample_bicubic2d_aa')(input, outputSize, alignCorners, scales) : C.upsampleBicubic2d(input, outputSize, alignCorners, scales);
    }
    if (mode in SPATIAL) throw new Error(`Got ${d}D input, but ${mode} mode needs ${SPATIAL[mode]}D input`);
  }
  throw new Error(`Input Error: Only 3D, 4D and 5D input Tensors supported (got ${d}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${mode})`);
}

/** The deprecated aliases of interpolate. */
export const upsample = interpolate;
export const upsampleNearest = (input: Tensor, options: { size?: Size | null; scaleFactor?: number | number[] | null } = {}): Tensor =>
  interpolate(input, { ...options, mode: 'nearest' });
export const upsampleBilinear = (input: Tensor, options: { size?: Size | null; scaleFactor?: number | number[] | null } = {}): Tensor =>
  interpolate(input, { ...options, mode: 'bilinear', alignCorners: true });

export interface UnfoldOptions {
  dilation?: Size;
  padding?: Size;
  stride?: Size;
}

const pair = (v: Size): number[] => (typeof v === 'number' ? [v, v] : v);

/** Sliding local blocks of a batched (N, C, H, W) or unbatched (C, H, W) input, as columns. */
export const unfold = (input: Tensor, kernelSize: Size, options: UnfoldOptions = {}): Tensor =>
  C.im2col(input, pair(kernelSize), pair(options.dilation ?? 1), pair(options.padding ?? 0), pair(options.stride ?? 1));

/** The inverse of unfold: sums the columns back into an image of outputSize. */
export const fold = (input: Tensor, outputSize: Size, kernelSize: Size, options: UnfoldOptions = {}): Tensor =>
  C.col2im(input, pair(outputSize), pair(kernelSize), pair(options.dilation ?? 1), pair(options.padding ?? 0), pair(options.stride ?? 1));
