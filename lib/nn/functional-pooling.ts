// torch.nn.functional's pooling: max (optionally with indices), average and adaptive, in 1, 2
// and 3 dimensions, with PyTorch's defaults (stride null means the kernel size).
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
