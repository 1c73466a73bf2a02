// AOTInductor packages: a model exported with torch.export and compiled in Python by
// torch._inductor.aoti_compile_and_package into a .pt2, loaded and run here by libtorch's own
// loader (native/aoti.cc), so a Node service can serve a compiled PyTorch model.
//
// A .pt2 holds native code compiled for one kind of machine (CPU features, CUDA or not), and
// loading it runs that code: load only packages you trust, built for machines like this one.
// Each input's dtype, shape and strides are checked by the model itself (torch-node sets
// AOTI_RUNTIME_CHECK_INPUTS=1 unless it is already set; "0" skips the checks).
import fs from 'node:fs';
import { native, type Handle } from './native';
import { Tensor, wrap } from './tensor';
import { withCallerStack } from './async';
import { parseTreeSpec, flattenTensors, unflatten, dictKeys, type TreeSpec } from './pytree';
import { expectBoolean, expectInteger, expectOptions, expectString, expectTensors, fail } from './ops/validate';

export interface LoadPackageOptions {
  /** Which model of the package ("model", the one aoti_compile_and_package writes). */
  modelName?: string;
  /** Runs without the container's locking (one run at a time; torch-node serializes them). */
  runSingleThreaded?: boolean;
  /** Model instances that run concurrently (runAsync calls in parallel); 1 by default. */
  numRunners?: number;
  /** The CUDA device of a CUDA package (-1: the current one). */
  deviceIndex?: number;
}

/** A loaded .pt2 package: Python's AOTICompiledModel (what torch._inductor.aoti_load_package returns). */
export class AOTICompiledModel {
  private _specs?: { inputs: TreeSpec; outputs: TreeSpec };

  /** @internal */
  constructor(private readonly _p: unknown, readonly path: string) {}

  /**
   * Runs the model as Python's `compiled(*args, **kwargs)` does: the inputs are the exported
   * forward's arguments (tensors, arrays for tuples and lists, objects for dicts; keyword
   * arguments as a last object), and the result has the model's output structure.
   */
  forward(...args: unknown[]): unknown {
    return unflatten(this.run(this.flatInputs(args, 'forward')), this.specs().outputs);
  }

  /** forward on a libuv worker thread (see runAsync). */
  async forwardAsync(...args: unknown[]): Promise<unknown> {
    const inputs = this.flatInputs(args, 'forwardAsync');
    return unflatten(await this.runAsync(inputs), this.specs().outputs);
  }

  /** The flat call (Python's `compiled.loader.run`): the input tensors in order, the output tensors in order. */
  run(inputs: Tensor[]): Tensor[] {
    return native.aotiRun(this._p, handles('run(inputs)', inputs)).map(wrap);
  }

  /**
   * run on a libuv worker thread: the event loop keeps turning meanwhile. The job holds its
   * inputs and the model, so disposing either afterwards is safe. Calls overlap up to
   * `numRunners` (loadPackage's option); the others wait for a free runner.
   */
  async runAsync(inputs: Tensor[]): Promise<Tensor[]> {
    const caller = new Error();
    const h = handles('runAsync(inputs)', inputs);
    return (await withCallerStack(caller, () => native.aotiRunAsync(this._p, h))).map(wrap);
  }

  /** The package's metadata: AOTI_DEVICE_KEY, AOTI_CPU_ISA, AOTI_PLATFORM, ... */
  getMetadata(): Record<string, string> {
    return native.aotiMetadata(this._p);
  }

  /** The serialized pytree specs of the inputs and of the outputs (Python's loader.get_call_spec()). */
  getCallSpec(): [string, string] {
    const [inputs, outputs] = native.aotiCallSpec(this._p);
    return [inputs, outputs];
  }

  /** The names (as in the model's stateDict) of the weights loadConstants can replace. */
  getConstantFqns(): string[] {
    return native.aotiConstantFqns(this._p);
  }

  /** Replaces weights by name (Python's load_constants): new weights without recompiling. */
  loadConstants(constantsMap: Record<string, Tensor>, options: { checkFullUpdate: boolean; userManaged?: boolean }): void {
    expectOptions('loadConstants(options)', options);
    expectBoolean('loadConstants(options.checkFullUpdate)', options?.checkFullUpdate);
    if (constantsMap === null || typeof constantsMap !== 'object') fail('loadConstants(constantsMap)', 'an object of tensors', constantsMap);
    const map: Record<string, Handle> = {};
    for (const [name, t] of Object.entries(constantsMap)) map[name] = handles(`loadConstants(constantsMap.${name})`, [t])[0];
    native.aotiLoadConstants(this._p, map, options.checkFullUpdate, options.userManaged ?? false);
  }

  /** Unloads the model's library and removes its extracted files now (a queued run finishes first). */
  dispose(): void {
    native.aotiDispose(this._p);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  toString(): string {
    return `AOTICompiledModel(${JSON.stringify(this.path)})`;
  }

  private specs(): { inputs: TreeSpec; outputs: TreeSpec } {
    if (!this._specs) {
      const [inputs, outputs] = this.getCallSpec();
      this._specs = { inputs: parseTreeSpec(inputs), outputs: parseTreeSpec(outputs) };
    }
    return this._specs;
  }

  // The input spec is a tuple (args, kwargs); a last plain object is kwargs when the model has some.
  private flatInputs(args: unknown[], where: string): Tensor[] {
    const [argsSpec, kwargsSpec] = this.specs().inputs.children_spec;
    const n = argsSpec.children_spec.length;
    let kwargs: unknown = {};
    const last = args[args.length - 1];
    if (dictKeys(kwargsSpec).length > 0 && args.length === n + 1 && isPlainObject(last)) {
      kwargs = last;
      args = args.slice(0, -1);
    }
    if (args.length !== n) throw new TypeError(`${where}: expected ${n} input${n === 1 ? '' : 's'} (the exported forward's arguments), got ${args.length}`);
    const flat: Tensor[] = [];
    flattenTensors(args, argsSpec, `${where} inputs`, flat);
    flattenTensors(kwargs, kwargsSpec, `${where} keyword inputs`, flat);
    return flat;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
}

function handles(where: string, inputs: Tensor[]): Handle[] {
  if (!Array.isArray(inputs)) fail(where, 'an array of tensors', inputs);
  return expectTensors(where, inputs).map((t) => t._h);
}

// The number of files in a zip archive (its end-of-central-directory record), or undefined when
// the file cannot be read or is no zip: then libtorch's loader says why.
function zipEntryCount(path: string): number | undefined {
  try {
    const fd = fs.openSync(path, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const length = Math.min(size, 22 + 0xffff); // the record, after a comment of up to 64 KiB
      const tail = Buffer.alloc(length);
      fs.readSync(fd, tail, 0, length, size - length);
      for (let i = length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) return tail.readUInt16LE(i + 10);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // unreadable: the loader's own error follows
  }
  return undefined;
}

/**
 * Loads a .pt2 package written by `torch._inductor.aoti_compile_and_package` (libtorch's
 * AOTIModelPackageLoader: extracts it to a temporary folder and loads the compiled model).
 */
export function loadPackage(path: string, options: LoadPackageOptions = {}): AOTICompiledModel {
  expectString('loadPackage(path)', path);
  expectOptions('loadPackage(options)', options);
  const { modelName = 'model', runSingleThreaded = false, numRunners = 1, deviceIndex = -1 } = options;
  expectString('loadPackage(options.modelName)', modelName);
  expectBoolean('loadPackage(options.runSingleThreaded)', runSingleThreaded);
  expectInteger('loadPackage(options.numRunners)', numRunners);
  if (numRunners < 1 || numRunners > 1024) fail('loadPackage(options.numRunners)', 'an integer in [1, 1024]', numRunners);
  if (runSingleThreaded && numRunners !== 1) fail('loadPackage(options.numRunners)', '1 with runSingleThreaded', numRunners);
  expectInteger('loadPackage(options.deviceIndex)', deviceIndex);
  if (deviceIndex < -1 || deviceIndex > 127) fail('loadPackage(options.deviceIndex)', 'an integer in [-1, 127]', deviceIndex);
  // libtorch's loader reads a second file name unchecked: a one-file zip would crash it.
  const files = zipEntryCount(path);
  if (files !== undefined && files < 2) throw new Error(`loadPackage: ${path} is a zip of ${files} file(s), not a .pt2 package`);
  return new AOTICompiledModel(native.aotiLoad(path, modelName, runSingleThreaded, numRunners, deviceIndex), path);
}
