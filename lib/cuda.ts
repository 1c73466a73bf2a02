// torch.cuda: whether a GPU can be used, and the few controls that need no tensor.
import { native } from './native';

/** True when the found libtorch has CUDA, its libraries loaded, and a GPU is visible. */
export function isAvailable(): boolean {
  return native.cudaIsAvailable();
}

export function deviceCount(): number {
  return native.cudaDeviceCount();
}

/** Why CUDA is not available ('' when it is, or when the libtorch has no CUDA at all). */
export function unavailableReason(): string {
  if (native.cudaIsAvailable()) return '';
  return native.cudaLoadError() || 'no CUDA device is visible';
}

export function synchronize(): void {
  native.cudaSynchronize();
}

/** Seeds every GPU's generator (torch.manualSeed seeds them too). */
export function manualSeed(seed: number | bigint): void {
  native.manualSeed(seed);
}
export const manualSeedAll = manualSeed;
