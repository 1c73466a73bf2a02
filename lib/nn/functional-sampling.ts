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

// ---- spatial transformers: affine grids and grid sampling ----------------------------------

const pyList = (v: number[]) => `[${v.join(', ')}]`;

/** The sampling grid (N, H, W, 2) or (N, D, H, W, 3) of a batch of affine matrices theta (N, 2, 3) or (N, 3, 4). */
export function affineGrid(theta: Tensor, size: number[], options: { alignCorners?: boolean | null } = {}): Tensor {
  const alignCorners = options.alignCorners ?? false;
  if (!theta.dtype.isFloatingPoint) throw new Error(`Expected theta to have floating point type, but got torch.${theta.dtype.name}`);
  const d = size.length - 2;
  if (d === 2 || d === 3) {
    if (theta.dim() !== 3 || theta.size(-2) !== d || theta.size(-1) !== d + 1) {
      const shape = `Nx${d}x${d + 1}`;
      throw new Error(`Expected a batch of ${d}D affine matrices of shape ${shape} for size ${pyList(size)}. Got torch.Size(${pyList(theta.shape)}).`);
    }
  } else {
    throw new Error(`affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size ${pyList(size)}.`);
  }
  // PyTorch only warns about unit spatial sizes with alignCorners, and skips the positivity check then.
  const unitSpan = alignCorners && Math.min(...size.slice(2)) === 1;
  if (!unitSpan && Math.min(...size) <= 0) throw new Error(`Expected non-zero, positive output size. Got ${pyList(size)}`);
  return torch.affineGridGenerator(theta, size, alignCorners);
}

export type GridSampleMode = 'bilinear' | 'nearest' | 'bicubic';
export type GridSamplePaddingMode = 'zeros' | 'border' | 'reflection';

export interface GridSampleOptions {
  mode?: GridSampleMode;
  paddingMode?: GridSamplePaddingMode;
  alignCorners?: boolean | null;
}

const SAMPLE_MODES: Record<GridSampleMode, number> = { bilinear: 0, nearest: 1, bicubic: 2 };
const PADDING_MODES: Record<GridSamplePaddingMode, number> = { zeros: 0, border: 1, reflection: 2 };

/** Samples input (N, C, H, W) or (N, C, D, H, W) at the normalized [-1, 1] locations of grid. */
export function gridSample(input: Tensor, grid: Tensor, options: GridSampleOptions = {}): Tensor {
  const { mode = 'bilinear', paddingMode = 'zeros' } = options;
  if (!Object.hasOwn(SAMPLE_MODES, mode)) {
    throw new Error(`nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '${mode}'`);
  }
  if (!Object.hasOwn(PADDING_MODES, paddingMode)) {
    throw new Error(`nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: '${paddingMode}'`);
  }
  return torch.gridSampler(input, grid, SAMPLE_MODES[mode], PADDING_MODES[paddingMode], options.alignCorners ?? false);
}
