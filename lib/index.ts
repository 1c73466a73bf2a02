// torch-node: PyTorch's API for Node.js. `import * as torch from 'torch-node'`.
import { native } from './native';

export { Tensor, type GradFn, type BackwardOptions, type ToOptions } from './tensor';
export { tensor, fromArray, fromBuffer, type TensorOptions, type NestedArray } from './creation';
export * from './dtype';
export { Device, device, type DeviceLike } from './device';
export type { Scalar, Layout, MemoryFormat } from './ops/overload';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled, autograd, type GradOptions } from './autograd';
export { tidy, keep } from './scope';
export * as cuda from './cuda';
export { ops } from './ops/aten';
export * from './generated/functions';

/** Seeds the random number generators of the CPU and every GPU (same numbers as PyTorch). */
export function manualSeed(seed: number | bigint): void {
  native.manualSeed(seed);
}

/** The number of threads used for intra-op parallelism (PyTorch's set_num_threads). */
export function setNumThreads(n: number): void {
  native.setNumThreads(n);
}

export function getNumThreads(): number {
  return native.getNumThreads();
}

/** Tensors alive in native memory right now (for leak tests and memory reports). */
export function liveTensors(): number {
  return native.liveTensors();
}

// Memory formats and layouts, as PyTorch names them.
export const contiguousFormat = 'contiguous_format';
export const preserveFormat = 'preserve_format';
export const channelsLast = 'channels_last';
export const channelsLast3d = 'channels_last_3d';
export const strided = 'strided';
