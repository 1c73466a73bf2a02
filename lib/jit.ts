// torch.jit: TorchScript modules made in Python (torch.jit.script / trace, then .save), or
// traced from a JS module here (jit-trace.ts), run through libtorch's TorchScript runtime:
// forward (blocking, or on a worker thread), parameters for fine-tuning with torch.optim,
// train/eval, and save.
import { native, type Handle } from './native';
import type { Tensor } from './tensor';
import type { DeviceLike } from './device';
import { deviceString } from './device';
import { toNative, fromNative } from './ivalue';
import { wrap } from './tensor';
import { noGrad } from './autograd';
import { withCallerStack } from './async';
import { expectString, fail } from './ops/validate';

const keep = (t: Tensor) => t;

export class ScriptModule {
  /** @internal */
  constructor(private readonly _m: unknown) {}

  forward(...args: unknown[]): unknown {
    return this.runMethod('forward', ...args);
  }

  /** Calls any method the module exports (Python's module.<name>(...)). */
  runMethod(name: string, ...args: unknown[]): unknown {
    expectString('runMethod(name)', name);
    return fromNative(native.jitRun(this._m, name, args.map((a) => toNative(a, new Set()))), keep);
  }

  /**
   * forward on a libuv worker thread: the event loop keeps running meanwhile. Inputs are
   * captured when called (disposing them, or dropping this module, afterwards is safe);
   * concurrent calls are fine for inference (eval mode). Grad mode is the caller's: call it
   * inside `torch.noGrad` to record no graph. Writing the module's parameters in place (an
   * optimizer step, `loadStateDict`) while calls run is a data race: await them first, or
   * serve another module.
   */
  forwardAsync(...args: unknown[]): Promise<unknown> {
    return this.runMethodAsync('forward', ...args);
  }

  async runMethodAsync(name: string, ...args: unknown[]): Promise<unknown> {
    expectString('runMethodAsync(name)', name);
    const caller = new Error();
    const stack = args.map((a) => toNative(a, new Set()));
    return fromNative(await withCallerStack(caller, () => native.jitRunAsync(this._m, name, stack)), keep);
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

  /**
   * Copies values in (strict by default: missing, unexpected or mis-shaped keys throw), as
   * nn.Module's does; with a traced module this swaps in new weights without re-tracing.
   */
  loadStateDict(stateDict: Record<string, Tensor>, options: { strict?: boolean } = {}): void {
    const own = this.stateDict();
    const errors = [
      ...Object.keys(own).filter((k) => !(k in stateDict)).map((k) => `missing key "${k}"`),
      ...Object.keys(stateDict).filter((k) => !(k in own)).map((k) => `unexpected key "${k}"`),
    ].filter(() => options.strict ?? true);
    for (const [key, target] of Object.entries(own)) {
      const source = stateDict[key];
      if (source && source.shape.join() !== target.shape.join()) {
        errors.push(`size mismatch for ${key}: [${source.shape}] in the state dict, [${target.shape}] in the module`);
      }
    }
    if (errors.length) throw new Error(`Error(s) in loading state_dict for ScriptModule:\n\t${errors.join('\n\t')}`);
    noGrad(() => {
      for (const [key, target] of Object.entries(own)) if (stateDict[key]) target.copy_(stateDict[key]);
    });
  }

  /** The forward method's TorchScript graph, as text (Python's `module.graph`). */
  get graph(): string {
    return native.jitGraph(this._m, 'forward');
  }

  get training(): boolean {
    return native.jitIsTraining(this._m);
  }

  train(mode = true): this {
    if (typeof mode !== 'boolean') fail('train(mode)', 'a boolean', mode);
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
  expectString('jit.load(path)', path);
  const device = options.mapLocation === undefined ? undefined : deviceString(options.mapLocation);
  return new ScriptModule(native.jitLoad(path, device));
}

export { trace, type TraceOptions } from './jit-trace';
