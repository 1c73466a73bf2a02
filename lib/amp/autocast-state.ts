// torch's autocast state functions (torch.set_autocast_enabled, get_autocast_cpu_dtype, ...),
// which code written before torch.autocast scopes still calls. Over the same native state as
// torch.autocast (native/autocast.cc).
import { native } from '../native';
import { DType, dtypeFromCode } from '../dtype';
import { expectBoolean, fail } from '../ops/validate';

function set(deviceType: string, changes: { enabled?: boolean; dtype?: DType; cache?: boolean }): void {
  const [enabled, dtype, cache] = native.autocastState(deviceType);
  native.setAutocast(deviceType, changes.enabled ?? enabled, changes.dtype?.code ?? dtype, changes.cache ?? cache);
}

/** `setAutocastEnabled('cpu', true)`, or the older `setAutocastEnabled(true)` for CUDA. */
export function setAutocastEnabled(deviceType: string | boolean, enabled?: boolean): void {
  const [device, on] = typeof deviceType === 'boolean' ? ['cuda', deviceType] : [deviceType, enabled];
  expectBoolean('setAutocastEnabled(enabled)', on);
  set(device, { enabled: on });
}

export function setAutocastDtype(deviceType: string, dtype: DType): void {
  if (!(dtype instanceof DType)) fail('setAutocastDtype(dtype)', 'a torch dtype', dtype);
  set(deviceType, { dtype });
}

export const isAutocastCpuEnabled = (): boolean => native.autocastState('cpu')[0];
export const setAutocastCpuEnabled = (enabled: boolean): void => setAutocastEnabled('cpu', enabled);
export const getAutocastCpuDtype = (): DType => dtypeFromCode(native.autocastState('cpu')[1]);
export const setAutocastCpuDtype = (dtype: DType): void => setAutocastDtype('cpu', dtype);
export const getAutocastGpuDtype = (): DType => dtypeFromCode(native.autocastState('cuda')[1]);
export const setAutocastGpuDtype = (dtype: DType): void => setAutocastDtype('cuda', dtype);

/** Whether autocast caches the lower-precision copies of weights (one setting for all devices). */
export const isAutocastCacheEnabled = (): boolean => native.autocastState('cpu')[2];
export function setAutocastCacheEnabled(enabled: boolean): void {
  expectBoolean('setAutocastCacheEnabled(enabled)', enabled);
  set('cpu', { cache: enabled });
}

/** Enters one autocast nesting level; returns the new level. */
export const autocastIncrementNesting = (): number => native.autocastNest(true);
/** Leaves one level; returns the new level (at 0 the cast cache is cleared, as leaving torch.autocast does). */
export const autocastDecrementNesting = (): number => native.autocastNest(false);

/** Drops the lower-precision copies of weights autocast cached. */
export const clearAutocastCache = (): void => native.clearAutocastCache();
