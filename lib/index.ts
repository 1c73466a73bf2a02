// torch-node: PyTorch's API for Node.js. `import * as torch from 'torch-node'`.
import { native } from './native';
import './gc-pacing';
import { Tensor, wrap } from './tensor';
import { DType, dtypeFromCode } from './dtype';

export { Tensor, type RemovableHandle, type GradFn, type BackwardOptions, type ToOptions } from './tensor';
export { tensor, asTensor, asarray, fromArray, fromBuffer, type TensorOptions, type NestedArray } from './creation';
export { setPrintoptions, type PrintOptions } from './format';
export * from './settings';
export { unravelIndex } from './unravel-index';
export { lu, type LuOptions } from './lu';
export { svdLowrank, pcaLowrank, type LowrankOptions } from './lowrank';
export { spmm, dsmm, hsmm, saddmm } from './sparse-aliases';
export * from './dtype';
export { Device, device, getDefaultDevice, setDefaultDevice, type DeviceLike } from './device';
export { Generator } from './generator';
import type { Layout, MemoryFormat } from './ops/overload';
export type { Scalar, Layout, MemoryFormat } from './ops/overload';
export { noGrad, enableGrad, inferenceMode, isInferenceModeEnabled, isGradEnabled, setGradEnabled, autograd, type GradOptions } from './autograd';
export type { FunctionCtx as AutogradFunctionCtx, Function as AutogradFunction } from './autograd-function';
export type { GradcheckOptions } from './gradcheck';
export type { IndexItem } from './indexing';
export type { LinalgFunctions, SpecialFunctions, FftFunctions } from './generated/op-types';
export { tidy, keep } from './scope';
export { unique, uniqueConsecutive, type UniqueOptions } from './unique';
export * as cuda from './cuda';
export * as amp from './amp/index';
export { autocast, isAutocastEnabled, getAutocastDtype } from './amp/autocast';
export * from './amp/autocast-state';
export { ops } from './ops/aten';
export { save, load, serialize, deserialize, type Saveable } from './serialization';
export * as safetensors from './safetensors';
export * as jit from './jit';
export { exportNamespace as export, inductorNamespace as _inductor } from './export';
export * as nn from './nn/index';
export * as optim from './optim/index';
export * as utils from './utils/index';
export * as distributed from './distributed/index';
export * from './generated/functions';

export function isTensor(value: unknown): value is Tensor {
  return value instanceof Tensor;
}

/** The number of elements of a tensor (Python's torch.numel). */
export function numel(input: Tensor): number {
  return input.numel();
}

/** The shape that tensors of these shapes broadcast to; throws if they do not. */
export function broadcastShapes(...shapes: (number | number[])[]): number[] {
  const lists = shapes.map((s) => (typeof s === 'number' ? [s] : s));
  const ndim = Math.max(0, ...lists.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of lists) {
    for (let i = 0; i < s.length; i++) {
      const j = ndim - s.length + i;
      if (s[i] === 1) continue;
      if (out[j] !== 1 && out[j] !== s[i]) {
        throw new Error(`Shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is at dim ${j}, got ${s[i]} and ${out[j]}`);
      }
      out[j] = s[i];
    }
  }
  return out;
}

/** Seeds the random number generators of the CPU and every GPU (same numbers as PyTorch). */
export function manualSeed(seed: number | bigint): void {
  native.manualSeed(seed);
}

/** The dtype floating-point factories and torch.tensor(numbers) use (float32 to start). */
export function setDefaultDtype(dtype: DType): void {
  native.setDefaultDtype(dtype.code);
}

export function getDefaultDtype(): DType {
  return dtypeFromCode(native.getDefaultDtype());
}

/** The CPU generator's state (a uint8 tensor), to restore with setRngState. */
export function getRngState(): Tensor {
  return wrap(native.getRngState());
}

export function setRngState(state: Tensor): void {
  native.setRngState(state._h);
}

export function initialSeed(): bigint {
  return native.initialSeed();
}

/** Seeds the generators with a non-deterministic 64-bit number and returns it (torch.seed). */
export function seed(): bigint {
  const [s] = crypto.getRandomValues(new BigUint64Array(1));
  native.manualSeed(s);
  return s;
}

/** The device index of a tensor: -1 on the CPU (torch.get_device). */
export function getDevice(input: Tensor): number {
  return input.getDevice();
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
export const contiguousFormat: MemoryFormat = 'contiguous_format';
export const preserveFormat: MemoryFormat = 'preserve_format';
export const channelsLast: MemoryFormat = 'channels_last';
export const channelsLast3d: MemoryFormat = 'channels_last_3d';
export const strided: Layout = 'strided';
