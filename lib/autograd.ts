// Grad mode (torch.noGrad / enableGrad / setGradEnabled) and torch.autograd.grad/backward.
import { native } from './native';
import { Function as AutogradFunction, FunctionCtx } from './autograd-function';
import { grad, backward } from './autograd-grad';
import { gradcheck } from './gradcheck';
import { expectBoolean, fail } from './ops/validate';

export type { GradOptions } from './autograd-grad';

/** A grad-mode switch: call it with a function, or hold it with `using` (Python's `with`). */
function gradMode(enabled: boolean) {
  function run<T>(fn: () => T): T;
  function run(): Disposable;
  function run<T>(fn?: () => T): T | Disposable {
    if (fn !== undefined && typeof fn !== 'function') fail(`${enabled ? 'enableGrad' : 'noGrad'}(fn)`, 'a function or nothing', fn);
    const previous = native.isGradEnabled();
    native.setGradEnabled(enabled);
    if (fn === undefined) return { [Symbol.dispose]: () => native.setGradEnabled(previous) };
    try {
      return fn();
    } finally {
      native.setGradEnabled(previous);
    }
  }
  return run;
}

/** `torch.noGrad(() => ...)` or `using _ = torch.noGrad()`: no autograd recording inside. */
export const noGrad = gradMode(false);
/** `torch.enableGrad(() => ...)`: autograd recording on again inside a noGrad region. */
export const enableGrad = gradMode(true);

/**
 * `torch.inferenceMode(() => ...)` or `using _ = torch.inferenceMode()`: like noGrad, and
 * faster (no version counters or view tracking); tensors made inside cannot enter autograd later.
 */
export function inferenceMode<T>(fn: () => T): T;
export function inferenceMode(mode?: boolean): Disposable;
export function inferenceMode<T>(arg?: (() => T) | boolean): T | Disposable {
  if (arg !== undefined && typeof arg !== 'boolean' && typeof arg !== 'function') fail('inferenceMode(arg)', 'a function, a boolean or nothing', arg);
  const enabled = typeof arg === 'boolean' ? arg : true;
  native.inferenceModeEnter(enabled);
  if (typeof arg !== 'function') return { [Symbol.dispose]: () => native.inferenceModeExit() };
  try {
    return arg();
  } finally {
    native.inferenceModeExit();
  }
}

export function isInferenceModeEnabled(): boolean {
  return native.isInferenceModeEnabled();
}

export function isGradEnabled(): boolean {
  return native.isGradEnabled();
}

export function setGradEnabled(enabled: boolean): void {
  expectBoolean('setGradEnabled(enabled)', enabled);
  native.setGradEnabled(enabled);
}

export const autograd = { grad, backward, gradcheck, noGrad, enableGrad, setGradEnabled, isGradEnabled,
  get Function() { return AutogradFunction; }, get FunctionCtx() { return FunctionCtx; } };
