// libtorch's global settings under PyTorch's names (native/settings.cc): inter-op threads,
// deterministic algorithms, autograd's anomaly mode, float32 matmul precision, denormals,
// warnings and vitals.
import { native } from './native';
import { expectBoolean, expectOptions, fail } from './ops/validate';

/** The number of threads for inter-op parallelism (torch.get_num_interop_threads). */
export function getNumInteropThreads(): number {
  return native.getNumInteropThreads();
}

/** Sets the inter-op thread count; libtorch allows it once, before any inter-op work. */
export function setNumInteropThreads(n: number): void {
  native.setNumInteropThreads(n);
}

/** Flushes denormal floats to zero on the CPU; returns whether the CPU supports it. */
export function setFlushDenormal(mode: boolean): boolean {
  expectBoolean('setFlushDenormal(mode)', mode);
  return native.setFlushDenormal(mode);
}

export type Float32MatmulPrecision = 'highest' | 'high' | 'medium';

/** How float32 matrix products may trade precision for speed (TF32 or bfloat16 units). */
export function getFloat32MatmulPrecision(): Float32MatmulPrecision {
  return native.getFloat32MatmulPrecision() as Float32MatmulPrecision;
}

export function setFloat32MatmulPrecision(precision: Float32MatmulPrecision): void {
  native.setFloat32MatmulPrecision(precision);
}

/** Makes ops pick deterministic algorithms, and throw (or with warnOnly, warn) where there is none. */
export function useDeterministicAlgorithms(mode: boolean, options: { warnOnly?: boolean } = {}): void {
  expectBoolean('useDeterministicAlgorithms(mode)', mode);
  expectOptions('useDeterministicAlgorithms(options)', options);
  native.setDeterministicAlgorithms(mode, options.warnOnly ?? false);
}

export function areDeterministicAlgorithmsEnabled(): boolean {
  return native.deterministicAlgorithms()[0];
}

export function isDeterministicAlgorithmsWarnOnlyEnabled(): boolean {
  return native.deterministicAlgorithms()[1];
}

/** 'default' (0) off, 'warn' (1) warn-only, 'error' (2) on: torch.set_deterministic_debug_mode. */
export function setDeterministicDebugMode(debugMode: 'default' | 'warn' | 'error' | 0 | 1 | 2): void {
  const modes: Record<string, 0 | 1 | 2> = { default: 0, warn: 1, error: 2 };
  const mode = typeof debugMode === 'string' ? modes[debugMode] : debugMode;
  if (typeof debugMode === 'string' && mode === undefined) {
    throw new Error(`invalid value of debug_mode, expected one of \`default\`, \`warn\`, \`error\`, but got ${debugMode}`);
  }
  if (mode !== 0 && mode !== 1 && mode !== 2) {
    if (typeof debugMode !== 'number') fail('setDeterministicDebugMode(debugMode)', "'default', 'warn', 'error', 0, 1 or 2", debugMode);
    throw new Error(`invalid value of debug_mode, expected 0, 1, or 2, but got ${debugMode}`);
  }
  native.setDeterministicAlgorithms(mode !== 0, mode === 1);
}

export function getDeterministicDebugMode(): 0 | 1 | 2 {
  const [enabled, warnOnly] = native.deterministicAlgorithms();
  return !enabled ? 0 : warnOnly ? 1 : 2;
}

/** Autograd's anomaly mode: backward records where each op was made and, with checkNan, stops at NaN. */
export function setAnomalyEnabled(enabled: boolean, checkNan = true): void {
  expectBoolean('setAnomalyEnabled(enabled)', enabled);
  expectBoolean('setAnomalyEnabled(checkNan)', checkNan);
  native.setAnomalyMode(enabled, checkNan);
}

export function isAnomalyEnabled(): boolean {
  return native.anomalyMode()[0];
}

export function isAnomalyCheckNanEnabled(): boolean {
  return native.anomalyMode()[1];
}

/** Makes libtorch warnings that normally fire once per process fire every time. */
export function setWarnAlways(b: boolean): void {
  expectBoolean('setWarnAlways(b)', b);
  native.setWarnAlways(b);
}

export function isWarnAlwaysEnabled(): boolean {
  return native.getWarnAlways();
}

/** Initializes the intra-op thread pool's settings (torch.init_num_threads). */
export function initNumThreads(): void {
  native.initNumThreads();
}

/** Whether libtorch's vitals (usage counters) are on: the TORCH_VITAL environment variable. */
export function vitalsEnabled(): boolean {
  return native.vitalsEnabled();
}

/** The vitals recorded so far, one per line ('' when vitals are off). */
export function readVitals(): string {
  return native.readVitals();
}

/** Records a vital; returns whether it was recorded (false when vitals are off). */
export function setVital(vital: string, attribute: string, value: string): boolean {
  return native.setVital(vital, attribute, value);
}
