// nn.Module: the base of every layer and model. Submodules and parameters are the
// properties holding a Module or a Parameter, found in assignment order when asked for (so
// `this.fc = new nn.Linear(...)` registers itself, as in PyTorch); buffers are declared with
// registerBuffer. Models are called through `forward`.
import { Tensor } from '../tensor';
import { DType, float16, float32, float64 } from '../dtype';
import { Device, type DeviceLike } from '../device';
import { noGrad } from '../autograd';
import { Parameter } from './parameter';

export type StateDict = Record<string, Tensor>;

export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

const shapeText = (t: Tensor) => `torch.Size([${t.shape.join(', ')}])`;

/** PyTorch's attribute name for a camelCased property (runningMean -> running_mean), so
 * state dict keys, and the checkpoints holding them, are the same in Python and Node. */
const pythonName = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

export class Module {
  /** True in training mode (dropout active, batch norm updating its statistics). */
  training = true;
  /** Names of the properties that hold buffers (registerBuffer). */
  private readonly _bufferNames = new Set<string>();
  private readonly _nonPersistent = new Set<string>();
  /** Child names used as they are in state dict keys (ModuleDict keys), not snake_cased. */
  protected readonly _verbatimNames = new Set<string>();

  forward(..._args: unknown[]): unknown {
    throw new Error(`Module [${this.constructor.name}] is missing the required "forward" function`);
  }

  // ---- registration ------------------------------------------------------------------------

  registerModule(name: string, module: Module | null): void {
    if (module !== null && !(module instanceof Module)) {
      const kind = typeof module === 'object' ? (module as object).constructor?.name ?? 'Object' : typeof module;
      throw new TypeError(`${kind} is not a Module subclass`);
    }
    (this as unknown as Record<string, unknown>)[name] = module;
  }

  registerParameter(name: string, param: Parameter | null): void {
    (this as unknown as Record<string, unknown>)[name] = param;
  }

  registerBuffer(name: string, tensor: Tensor | null, options: { persistent?: boolean } = {}): void {
    this._bufferNames.add(name);
    if (options.persistent === false) this._nonPersistent.add(name);
    (this as unknown as Record<string, unknown>)[name] = tensor;
  }

  private ownEntries(): [string, unknown][] {
    return Object.entries(this).filter(([k]) => !k.startsWith('_'));
  }

  // ---- traversal ---------------------------------------------------------------------------

  namedChildren(): [string, Module][] {
    return this.ownEntries().filter((e): e is [string, Module] => e[1] instanceof Module);
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  namedParameters(prefix = '', recurse = true): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Parameter>();
    const modules = recurse ? this.namedModules(prefix) : [[prefix, this] as [string, Module]];
    for (const [path, m] of modules) {
      for (const [name, value] of m.ownEntries()) {
        if (value instanceof Parameter && !seen.has(value)) {
          seen.add(value);
          out.push([path ? `${path}.${name}` : name, value]);
        }
      }
    }
    return out;
  }

  parameters(recurse = true): Parameter[] {
    return this.namedParameters('', recurse).map(([, p]) => p);
  }

  namedBuffers(prefix = '', recurse = true): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const modules = recurse ? this.namedModules(prefix) : [[prefix, this] as [string, Module]];
    for (const [path, m] of modules) {
      for (const name of m._bufferNames) {
        const value = (m as unknown as Record<string, unknown>)[name];
        if (value instanceof Tensor) out.push([path ? `${path}.${name}` : name, value]);
      }
    }
    return out;
  }

  buffers(recurse = true): Tensor[] {
    return this.namedBuffers('', recurse).map(([, b]) => b);
  }

  apply(fn: (m: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  // ---- modes and gradients -----------------------------------------------------------------

  train(mode = true): this {
    this.training = mode;
    for (const child of this.children()) child.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  zeroGrad(options: { setToNone?: boolean } = {}): void {
    const setToNone = options.setToNone ?? true;
    for (const p of this.parameters()) {
      if (setToNone) {
        p.grad = null; // without reading it first, as Optimizer.zeroGrad
        continue;
      }
      const g = p.grad;
      if (g !== null) noGrad(() => g.zero_());
    }
  }

  // ---- dtype and device --------------------------------------------------------------------

  /**
   * Moves and/or casts parameters and buffers in place: `to('cuda')`, `to(torch.float64)`.
   * Parameters keep their identity (an optimizer made before still holds them), as in
   * PyTorch; dtype casts apply to floating-point tensors only.
   */
  to(...args: (DType | DeviceLike)[]): this {
    let dtype: DType | undefined;
    let device: DeviceLike | undefined;
    for (const a of args) {
      if (a instanceof DType) dtype = a;
      else if (typeof a === 'string' || a instanceof Device) device = a;
      else throw new TypeError(`Module.to(): expected a dtype or a device, got ${String(a)}`);
    }
    const convert = (t: Tensor) => {
      const casts = dtype !== undefined && t.dtype.isFloatingPoint;
      const parts: (DType | DeviceLike)[] = [];
      if (device !== undefined) parts.push(device);
      if (casts) parts.push(dtype!);
      return parts.length ? t.to(...parts) : t;
    };
    noGrad(() => {
      for (const p of this.parameters()) {
        const grad = p.grad;
        const moved = convert(p);
        if (moved !== p) {
          p._h = moved.detach()._h; // the same Parameter object, new storage (Python's param.data = ...)
          p.requiresGrad_(true);
          if (grad !== null) p.grad = convert(grad);
        }
      }
      for (const m of this.modules()) {
        for (const name of m._bufferNames) {
          const record = m as unknown as Record<string, Tensor | null>;
          if (record[name] instanceof Tensor) record[name] = convert(record[name]!);
        }
      }
    });
    return this;
  }

  cuda(device: number | DeviceLike = 'cuda'): this { return this.to(typeof device === 'number' ? `cuda:${device}` : device); }
  cpu(): this { return this.to('cpu'); }
  float(): this { return this.to(float32); }
  double(): this { return this.to(float64); }
  half(): this { return this.to(float16); }

  // ---- state -------------------------------------------------------------------------------

  /**
   * Parameters and persistent buffers by dotted name, in PyTorch's order and with PyTorch's
   * names (`bn.running_mean` for the property `bn.runningMean`); shared, not copied.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [path, m] of this.pythonNamedModules()) {
      const key = (name: string) => (path ? `${path}.${m.pythonNameOf(name)}` : m.pythonNameOf(name));
      for (const [name, value] of m.ownEntries()) if (value instanceof Parameter) out[key(name)] = value;
      for (const name of m._bufferNames) {
        const value = (m as unknown as Record<string, unknown>)[name];
        if (value instanceof Tensor && !m._nonPersistent.has(name)) out[key(name)] = value;
      }
    }
    return out;
  }

  /** namedModules() with PyTorch's names: each property name snake_cased, ModuleDict keys as they are. */
  private pythonNamedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) {
      const python = this.pythonNameOf(name);
      out.push(...child.pythonNamedModules(prefix ? `${prefix}.${python}` : python));
    }
    return out;
  }

  /** A property's name in PyTorch: snake_cased, except keys kept as given (ModuleDict's, ParameterDict's). */
  private pythonNameOf(name: string): string {
    return this._verbatimNames.has(name) ? name : pythonName(name);
  }

  /** Copies values in; strict (the default) throws PyTorch's message on missing, unexpected or mis-shaped keys. */
  loadStateDict(stateDict: StateDict, options: { strict?: boolean } = {}): LoadResult {
    if (stateDict === null || typeof stateDict !== 'object' || Array.isArray(stateDict)) {
      throw new TypeError(`Expected state_dict to be dict-like, got ${stateDict === null ? 'null' : Array.isArray(stateDict) ? 'an array' : typeof stateDict}.`);
    }
    const strict = options.strict ?? true;
    const own = this.stateDict();
    const missingKeys = Object.keys(own).filter((k) => !(k in stateDict));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !(k in own));
    const errors: string[] = [];
    for (const [key, target] of Object.entries(own)) {
      const source = stateDict[key];
      if (!(source instanceof Tensor)) continue;
      if (source.shape.join() !== target.shape.join()) {
        errors.push(`size mismatch for ${key}: copying a param with shape ${shapeText(source)} from checkpoint, the shape in current model is ${shapeText(target)}.`);
      }
    }
    if (strict) {
      if (unexpectedKeys.length) errors.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}. `);
      if (missingKeys.length) errors.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}. `);
    }
    if (errors.length) {
      throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join('\n\t')}`);
    }
    noGrad(() => {
      for (const [key, target] of Object.entries(own)) {
        if (stateDict[key] instanceof Tensor) target.copy_(stateDict[key]);
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  // ---- printing ----------------------------------------------------------------------------

  /** The text inside this module's parentheses (Linear: in_features=..., ...). */
  extraRepr(): string {
    return '';
  }

  toString(): string {
    const children = this.namedChildren().map(([name, m]) => `(${name}): ${String(m).split('\n').join('\n  ')}`);
    const extra = this.extraRepr();
    if (children.length === 0) return `${this.constructor.name}(${extra})`;
    const lines = [...(extra ? extra.split('\n') : []), ...children];
    return `${this.constructor.name}(\n  ${lines.join('\n  ')}\n)`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * An independent copy of a module (Python's copy.deepcopy): parameters and buffers cloned,
 * submodules copied recursively, everything else shared.
 */
export function deepCopy<M extends Module>(module: M): M {
  const copy = Object.create(Object.getPrototypeOf(module)) as Record<string, unknown>;
  for (const [key, value] of Object.entries(module)) {
    if (value instanceof Parameter) copy[key] = new Parameter(value.detach().clone(), value.requiresGrad);
    else if (value instanceof Module) copy[key] = deepCopy(value);
    else if (value instanceof Tensor) copy[key] = value.clone();
    else if (value instanceof Set) copy[key] = new Set(value);
    else copy[key] = value;
  }
  return copy as M;
}
