// torch.autocast: inside the scope, libtorch runs eligible ops (matmul, conv, linear, ...) in a
// lower precision (bfloat16 on CPU by default, float16 on CUDA) and others in float32, by
// PyTorch's own op lists (its Autocast dispatch keys). The same save/set/nest/restore steps
// as Python's torch.autocast.__enter__/__exit__.
import { native } from '../native';
import { DType, dtypeFromCode } from '../dtype';
import { expectBoolean, expectOptions, fail } from '../ops/validate';

export interface AutocastOptions {
  /** The lower precision (default: the device's current autocast dtype, bfloat16 on CPU, float16 on CUDA). */
  dtype?: DType;
  /** false runs the scope without autocast (to turn it off inside an autocast region). */
  enabled?: boolean;
  /** Cache the lower-precision copies of weights within the outermost scope (default true). */
  cacheEnabled?: boolean;
}

/** `torch.autocast('cpu', () => ...)`, `torch.autocast('cuda', { dtype }, () => ...)` or `using _ = torch.autocast('cpu')`. */
export function autocast<T>(deviceType: string, fn: () => T): T;
export function autocast<T>(deviceType: string, options: AutocastOptions, fn: () => T): T;
export function autocast(deviceType: string, options?: AutocastOptions): Disposable;
export function autocast<T>(deviceType: string, a?: AutocastOptions | (() => T), b?: () => T): T | Disposable {
  if (typeof deviceType !== 'string') fail('autocast(deviceType)', "a device type such as 'cuda' or 'cpu'", deviceType);
  const fn = typeof a === 'function' ? a : b;
  const options = typeof a === 'function' ? {} : (a ?? {});
  expectOptions('autocast(options)', options);
  if (fn !== undefined && typeof fn !== 'function') fail('autocast(fn)', 'a function or nothing', fn);
  if (options.dtype !== undefined && !(options.dtype instanceof DType)) fail('autocast(dtype)', 'a torch dtype', options.dtype);
  if (options.enabled !== undefined) expectBoolean('autocast(enabled)', options.enabled);
  if (options.cacheEnabled !== undefined) expectBoolean('autocast(cacheEnabled)', options.cacheEnabled);

  const [wasEnabled, previousDtype, wasCaching] = native.autocastState(deviceType);
  native.setAutocast(deviceType, options.enabled ?? true, (options.dtype?.code ?? previousDtype), options.cacheEnabled ?? true);
  native.autocastNest(true);
  const exit = () => {
    native.autocastNest(false);
    native.setAutocast(deviceType, wasEnabled, previousDtype, wasCaching);
  };
  if (!fn) return { [Symbol.dispose]: exit };
  try {
    return fn();
  } finally {
    exit();
  }
}

/** Whether autocast is on for the device type (PyTorch's torch.is_autocast_enabled). */
export function isAutocastEnabled(deviceType = 'cuda'): boolean {
  return native.autocastState(deviceType)[0];
}

/** The autocast dtype for the device type (PyTorch's torch.get_autocast_dtype). */
export function getAutocastDtype(deviceType: string): DType {
  return dtypeFromCode(native.autocastState(deviceType)[1]);
}
