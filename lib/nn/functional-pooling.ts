// torch.nn.functional's pooling: max (optionally with indices), average, adaptive and power-average
// (lp), in 1, 2 and 3 dimensions, with PyTorch's defaults (stride null means the kernel size).
import type { Tensor } from '../tensor';
import { makeNamespace } from '../ops/overload';
import { overloads, nn as nnTable } from '../generated/ops';
import * as torch from '../generated/functions';
import type { Size } from './types';

const C = makeNamespace('torch._C._nn.', overloads, nnTable) as Record<string, (...args: unknown[]) => Tensor>;
export interface PoolOptions {
  stride?: Size | null;
  padding?: Size;
  dilation?: Size;
  ceilMode?: boolean;
}

// stride null or absent means "the kernel size": aten takes an empty list for that.
const tuple = (v: Size, d: number) => (typeof v === 'number' ? Array<number>(d).fill(v) : v);
const strideOf = (s: Size | null | undefined) => (s === null || s === undefined ? [] : s);

type WithIndices = { returnIndices: true };
const MAX_POOL: Record<number, [(...a: unknown[]) => Tensor, (...a: unknown[]) => Tensor[]]> = {
  1: [torch.maxPool1d as never, torch.maxPool1dWithIndices as never],
  2: [torch.maxPool2d as never, C.maxPool2dWithIndices as never],
  3: [torch.maxPool3d as never, C.maxPool3dWithIndices as never],
};
function maxPool(d: number, input: Tensor, kernelSize: Size, o: PoolOptions & { returnIndices?: boolean }): Tensor | [Tensor, Tensor] {
  const args = [input, kernelSize, strideOf(o.stride), o.padding ?? 0, o.dilation ?? 1, o.ceilMode ?? false];
  return o.returnIndices ? MAX_POOL[d][1](...args) as [Tensor, Tensor] : MAX_POOL[d][0](...args);
}
/** Max pooling; with { returnIndices: true } returns [values, indices] (for maxUnpool), as in PyTorch. */
export function maxPool1d(input: Tensor, kernelSize: Size, o: PoolOptions & WithIndices): [Tensor, Tensor];
export function maxPool1d(input: Tensor, kernelSize: Size, o?: PoolOptions & { returnIndices?: false }): Tensor;
export function maxPool1d(input: Tensor, kernelSize: Size, o: PoolOptions & { returnIndices?: boolean } = {}): Tensor | [Tensor, Tensor] {
  return maxPool(1, input, kernelSize, o);
}
export function maxPool2d(input: Tensor, kernelSize: Size, o: PoolOptions & WithIndices): [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: Size, o?: PoolOptions & { returnIndices?: false }): Tensor;
export function maxPool2d(input: Tensor, kernelSize: Size, o: PoolOptions & { returnIndices?: boolean } = {}): Tensor | [Tensor, Tensor] {
  return maxPool(2, input, kernelSize, o);
}
export function maxPool3d(input: Tensor, kernelSize: Size, o: PoolOptions & WithIndices): [Tensor, Tensor];
export function maxPool3d(input: Tensor, kernelSize: Size, o?: PoolOptions & { returnIndices?: false }): Tensor;
export function maxPool3d(input: Tensor, kernelSize: Size, o: PoolOptions & { returnIndices?: boolean } = {}): Tensor | [Tensor, Tensor] {
  return maxPool(3, input, kernelSize, o);
}

/** Max pooling that always returns [values, indices], as Python's max_pool1d_with_indices. */
export const maxPool1dWithIndices = (input: Tensor, kernelSize: Size, o: PoolOptions = {}): [Tensor, Tensor] =>
  maxPool(1, input, kernelSize, { ...o, returnIndices: true }) as [Tensor, Tensor];
export const maxPool2dWithIndices = (input: Tensor, kernelSize: Size, o: PoolOptions = {}): [Tensor, Tensor] =>
  maxPool(2, input, kernelSize, { ...o, returnIndices: true }) as [Tensor, Tensor];
export const maxPool3dWithIndices = (input: Tensor, kernelSize: Size, o: PoolOptions = {}): [Tensor, Tensor] =>
  maxPool(3, input, kernelSize, { ...o, returnIndices: true }) as [Tensor, Tensor];

export interface AvgPoolOptions {
  stride?: Size | null;
  padding?: Size;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

export const avgPool1d = (input: Tensor, kernelSize: Size, o: AvgPoolOptions = {}): Tensor =>
  torch.avgPool1d(input, kernelSize, strideOf(o.stride), o.padding ?? 0, o.ceilMode ?? false, o.countIncludePad ?? true);
export const avgPool2d = (input: Tensor, kernelSize: Size, o: AvgPoolOptions = {}): Tensor =>
  C.avgPool2d(input, kernelSize, strideOf(o.stride), o.padding ?? 0, o.ceilMode ?? false, o.countIncludePad ?? true,
    o.divisorOverride ?? null);
export const avgPool3d = (input: Tensor, kernelSize: Size, o: AvgPoolOptions = {}): Tensor =>
  C.avgPool3d(input, kernelSize, strideOf(o.stride), o.padding ?? 0, o.ceilMode ?? false, o.countIncludePad ?? true,
    o.divisorOverride ?? null);
export const adaptiveAvgPool1d = (input: Tensor, outputSize: Size): Tensor => torch.adaptiveAvgPool1d(input, outputSize);
export const adaptiveAvgPool2d = (input: Tensor, outputSize: Size): Tensor => C.adaptiveAvgPool2d(input, outputSize);
export const adaptiveAvgPool3d = (input: Tensor, outputSize: Size): Tensor => C.adaptiveAvgPool3d(input, outputSize);

const ADAPTIVE_MAX: Record<number, (...a: unknown[]) => Tensor[]> = {
  1: torch.adaptiveMaxPool1d as never, 2: C.adaptiveMaxPool2d as never, 3: C.adaptiveMaxPool3d as never,
};
const adaptiveMax = (d: number, input: Tensor, outputSize: Size, o: { returnIndices?: boolean }) => {
  const [values, indices] = ADAPTIVE_MAX[d](input, outputSize);
  return o.returnIndices ? [values, indices] as [Tensor, Tensor] : values;
};
/** Adaptive max pooling: the values, or [values, indices] with { returnIndices: true }. */
export function adaptiveMaxPool1d(input: Tensor, outputSize: Size, o: WithIndices): [Tensor, Tensor];
export function adaptiveMaxPool1d(input: Tensor, outputSize: Size, o?: { returnIndices?: false }): Tensor;
export function adaptiveMaxPool1d(input: Tensor, outputSize: Size, o: { returnIndices?: boolean } = {}): Tensor | [Tensor, Tensor] {
  return adaptiveMax(1, input, outputSize, o);
}
export function adaptiveMaxPool2d(input: Tensor, outputSize: Size, o: WithIndices): [Tensor, Tensor];
export function adaptiveMaxPool2d(input: Tensor, outputSize: Size, o?: { returnIndices?: false }): Tensor;
export function adaptiveMaxPool2d(input: Tensor, outputSize: Size, o: { returnIndices?: boolean } = {}): Tensor | [Tensor, Tensor] {
  return adaptiveMax(2, input, outputSize, o);
}
export function adaptiveMaxPool3d(input: Tensor, outputSize: Size, o: WithIndices): [Tensor, Tensor];
export function adaptiveMaxPool3d(input: Tensor, outputSize: Size, o?: { returnIndices?: false }): Tensor;
export function adaptiveMaxPool3d(input: Tensor, outputSize: Size, o: { returnIndices?: boolean } = {}): Tensor | [Tensor, Tensor] {
  return adaptiveMax(3, input, outputSize, o);
}

/** Adaptive max pooling that always returns [values, indices], as Python's adaptive_max_pool1d_with_indices. */
export const adaptiveMaxPool1dWithIndices = (input: Tensor, outputSize: Size): [Tensor, Tensor] =>
  adaptiveMax(1, input, outputSize, { returnIndices: true }) as [Tensor, Tensor];
export const adaptiveMaxPool2dWithIndices = (input: Tensor, outputSize: Size): [Tensor, Tensor] =>
  adaptiveMax(2, input, outputSize, { returnIndices: true }) as [Tensor, Tensor];
export const adaptiveMaxPool3dWithIndices = (input: Tensor, outputSize: Size): [Tensor, Tensor] =>
  adaptiveMax(3, input, outputSize, { returnIndices: true }) as [Tensor, Tensor];

export interface LPPoolOptions {
  stride?: Size | null;
  ceilMode?: boolean;
}

const AVG_POOL = [avgPool1d, avgPool2d, avgPool3d];
/** PyTorch's lp_pool: (sum of x^p over each window)^(1/p), from the average pool of x^p times the window size. */
function lpPool(d: number, input: Tensor, normType: number, kernelSize: Size, o: LPPoolOptions): Tensor {
  const out = AVG_POOL[d - 1](input.pow(normType), kernelSize, { stride: o.stride ?? null, padding: 0, ceilMode: o.ceilMode ?? false });
  const windowSize = tuple(kernelSize, d).reduce((a, b) => a * b, 1);
  return torch.sign(out).mul(torch.relu(torch.abs(out))).mul(windowSize).pow(1 / normType);
}
/** Power-average pooling over windows of kernelSize: the normType-norm of each window. */
export const lpPool1d = (input: Tensor, normType: number, kernelSize: Size, o: LPPoolOptions = {}): Tensor =>
  lpPool(1, input, normType, kernelSize, o);
export const lpPool2d = (input: Tensor, normType: number, kernelSize: Size, o: LPPoolOptions = {}): Tensor =>
  lpPool(2, input, normType, kernelSize, o);
export const lpPool3d = (input: Tensor, normType: number, kernelSize: Size, o: LPPoolOptions = {}): Tensor =>
  lpPool(3, input, normType, kernelSize, o);

export interface MaxUnpoolOptions {
  stride?: Size | null;
  padding?: Size;
  /** The size to restore (MaxPool's input size, with or without its batch and channel dims); by default the size the pooling's arithmetic gives. */
  outputSize?: number[] | null;
}

/** PyTorch's _unpool_output_size: the default size, or outputSize checked against it. */
function unpoolOutputSize(input: Tensor, kernel: number[], stride: number[], padding: number[], outputSize?: number[] | null): number[] {
  const d = kernel.length;
  const defaults = kernel.map((k, i) => (input.size(-d + i) - 1) * stride[i] + k - 2 * padding[i]);
  if (outputSize === null || outputSize === undefined) return defaults;
  const size = outputSize.length === d + 2 ? outputSize.slice(2) : outputSize;
  if (size.length !== d) {
    throw new Error(`output_size should be a sequence containing ${d} or ${d + 2} elements, but it has a length of '${size.length}'`);
  }
  size.forEach((s, i) => {
    const [min, max] = [defaults[i] - stride[i], defaults[i] + stride[i]];
    if (!(min < s && s < max)) throw new Error(`invalid output_size "[${size.join(', ')}]" (dim ${i} must be between ${min} and ${max})`);
  });
  return size;
}

function maxUnpool(d: number, input: Tensor, indices: Tensor, kernelSize: Size, o: MaxUnpoolOptions): Tensor {
  const kernel = tuple(kernelSize, d);
  const stride = o.stride === null || o.stride === undefined ? kernel : tuple(o.stride, d);
  const padding = tuple(o.padding ?? 0, d);
  const size = unpoolOutputSize(input, kernel, stride, padding, o.outputSize);
  if (d === 1) return C.maxUnpool2d(input.unsqueeze(-1), indices.unsqueeze(-1), [...size, 1]).squeeze(-1);
  if (d === 2) return C.maxUnpool2d(input, indices, size);
  return C.maxUnpool3d(input, indices, size, stride, padding);
}
/** The partial inverse of maxPool1d: values put back at their indices (from { returnIndices: true }), zeros elsewhere. */
export const maxUnpool1d = (input: Tensor, indices: Tensor, kernelSize: Size, o: MaxUnpoolOptions = {}): Tensor =>
  maxUnpool(1, input, indices, kernelSize, o);
export const maxUnpool2d = (input: Tensor, indices: Tensor, kernelSize: Size, o: MaxUnpoolOptions = {}): Tensor =>
  maxUnpool(2, input, indices, kernelSize, o);
export const maxUnpool3d = (input: Tensor, indices: Tensor, kernelSize: Size, o: MaxUnpoolOptions = {}): Tensor =>
  maxUnpool(3, input, indices, kernelSize, o);
