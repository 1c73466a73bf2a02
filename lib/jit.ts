// torch.jit: TorchScript modules made in Python (torch.jit.script / trace, then .save) run
// through libtorch's TorchScript runtime: forward, parameters for fine-tuning with
// torch.optim, train/eval, and save.
import { native, type Handle } from './native';
import type { Tensor } from './tensor';
import type { DeviceLike } from './device';
import { deviceString } from './device';
import { toNative, fromNative } from './ivalue';
import { wrap } from './tensor';

const keep = (t: Tensor) => t;

export class ScriptModule {
  /** @internal */
  constructor(private readonly _m: unknown) {}

  forward(...args: unknown[]): unknown {
    return this.runMethod('forward', ...args);
  }

  /** Calls any method the module exports (Python's module.<name>(...)). */
  runMethod(name: string, ...args: unknown[]): unknown {
    return fromNative(native.jitRun(this._m, name, args.map((a) => toNative(a, new Set()))), keep);
  }

  /**
   * forward on a libuv worker thread: the event loop keeps running meanwhile. Inputs are
   * captured when called (disposing them afterwards is safe); concurrent calls are fine for
   * inference (eval mode).
   */
  forwardAsync(...args: unknown[]): Promise<unknown> {
    return this.runMethodAsync('forward', ...args);
  }

  async runMethodAsync(name: string, ...args: unknown[]): Promise<unknown> {
    const caller = new Error(); // keeps the caller's stack for errors from the worker
    try {
      const result = await native.jitRunAsync(this._m, name, args.map((a) => toNative(a, new Set())));
      return fromNative(result, keep);
    } catch (e) {
      if (e instanceof Error) e.stack = `${e.name}: ${e.message}\n${caller.stack?.split('\n').slice(1).join('\n')}`;
      throw e;
    }
  }

  namedParameters(): [string, Tensor][] {
    return native.jitNamedParameters(this._m).map(([name, h]) => [name, wrap(h)]);
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  namedBuffers(): [string, Tensor][] {
    return native.jitNamedBuffers(this._m).map(([name, h]) => [name, wrap(h)]);
  }

  stateDict(): Record<string, Tensor> {
    return Object.fromEntries([...this.namedParameters(), ...this.namedBuffers()]);
  }

  get training(): boolean {
    return native.jitIsTraining(this._m);
  }

  train(mode = true): this {
    native.jitTrain(this._m, mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  save(path: string): void {
    native.jitSave(this._m, path);
  }

  toString(): string {
    return `RecursiveScriptModule(${native.jitSchema(this._m)})`;
  }
}

/** Loads a module saved by torch.jit.save (or ScriptModule.save) in Python. */
export function load(path: string, options: { mapLocation?: DeviceLike } = {}): ScriptModule {
  const device = options.mapLocation === undefined ? undefined : deviceString(options.mapLocation);
  return new ScriptModule(native.jitLoad(path, device));
}
