// torch.optim.Optimizer: parameter groups whose options (lr, ...) are plain, writable fields
// as in PyTorch's param_groups, per-parameter state, zeroGrad, step(closure), and
// stateDict/loadStateDict with parameters referred to by position.
import { Tensor } from '../tensor';
import { noGrad, enableGrad } from '../autograd';
import { tidy, keep } from '../scope';
import { ops } from '../ops/aten';
import { tensor } from '../creation';
import { float32 } from '../dtype';
import { camelName, pythonName } from './names';

/** A group of parameters and its options: `opt.paramGroups[0].lr = 0.01` changes the rate. */
export type ParamGroup<O extends object = Record<string, unknown>> = O & {
  params: Tensor[];
  /** Present when the group was given [name, tensor] pairs (model.namedParameters()). */
  paramNames?: string[];
  [key: string]: unknown;
};

/** What a group may be given as: its parameters, and any options that differ from the defaults. */
export type ParamGroupInput<O extends object = Record<string, unknown>> = Partial<O> & {
  params: Tensor | Iterable<Tensor> | Iterable<[string, Tensor]>;
  [key: string]: unknown;
};

/** An optimizer's first argument: parameters, [name, parameter] pairs, or parameter groups. */
export type ParamsLike<O extends object = Record<string, unknown>> =
  | Iterable<Tensor>
  | Iterable<[string, Tensor]>
  | Iterable<ParamGroupInput<O>>;

/** One parameter's state (step count, running averages, ...). */
export type OptimizerState = Record<string, unknown>;

/** What stateDict() returns: state keyed by parameter position, and each group's options. */
export interface OptimizerStateDict<O extends object = Record<string, unknown>> {
  state: Record<number, OptimizerState>;
  paramGroups: (Omit<O, 'params'> & { params: number[]; paramNames?: string[]; [key: string]: unknown })[];
}

/**
 * stateDict({ format: 'pytorch' }): PyTorch's own layout, for Python's optimizer.load_state_dict
 * after torch.save. Names are snake_case, `step` a float32 tensor, and parameter ids strings on
 * both sides (torch.save writes object keys as strings; Python matches state to params by id).
 */
export interface PyTorchOptimizerStateDict {
  state: Record<string, Record<string, unknown>>;
  param_groups: Record<string, unknown>[];
}

// Options PyTorch keeps in its param groups that only select an implementation (a loop, a
// multi-tensor kernel, a fused kernel, CUDA-graph capture); torch-node has one implementation.
const IMPLEMENTATION_FLAGS = new Set(['foreach', 'fused', 'capturable', 'differentiable']);

/** The defaults with the options given applied; an unknown option name throws (a typo would be silent). */
export function withDefaults<O extends object>(name: string, defaults: O, options: Partial<O> | undefined): O {
  const result = { ...defaults };
  for (const [key, value] of Object.entries(options ?? {})) {
    if (!(key in defaults)) {
      const camel = camelName(key);
      const hint = camel !== key && camel in defaults ? ` (did you mean '${camel}'?)` : '';
      throw new TypeError(`${name}: unknown option '${key}'${hint}`);
    }
    if (value !== undefined) (result as Record<string, unknown>)[key] = value;
  }
  return result;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'Object';
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || value instanceof Tensor || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A deep copy of plain data (arrays, plain objects); tensors are cloned when `cloneTensors`. */
function copyValue(value: unknown, cloneTensors: boolean): unknown {
  if (value instanceof Tensor) return cloneTensors ? value.detach().clone() : value;
  if (Array.isArray(value)) return value.map((v) => copyValue(v, cloneTensors));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyValue(v, cloneTensors)]));
  }
  return value;
}

/** Marks every tensor in a state value to survive torch.tidy scopes (state outlives a step). */
function keepAll(value: unknown): void {
  if (value instanceof Tensor) keep(value);
  else if (Array.isArray(value)) value.forEach(keepAll);
  else if (isPlainObject(value)) Object.values(value).forEach(keepAll);
}

export abstract class Optimizer<O extends object = Record<string, unknown>> {
  readonly defaults: O;
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Each parameter's state, created on its first update (empty for plain SGD, as in PyTorch). */
  readonly state = new Map<Tensor, OptimizerState>();

  constructor(params: ParamsLike<O>, defaults: O) {
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new TypeError('params argument given to the optimizer should be an iterable of Tensors or objects, but got a Tensor');
    }
    if (params === null || params === undefined || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or objects, but got ${describe(params)}`);
    }
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new Error('optimizer got an empty parameter list');
    const groups = isPlainObject(list[0]) ? (list as ParamGroupInput<O>[]) : [{ params: list } as unknown as ParamGroupInput<O>];
    for (const group of groups) this.addParamGroup(group);
  }

  /** Adds a group (e.g. layers unfrozen during fine-tuning); missing options come from the defaults. */
  addParamGroup(paramGroup: ParamGroupInput<O>): void {
    if (!isPlainObject(paramGroup)) throw new TypeError(`param_group must be an object, but got ${describe(paramGroup)}`);
    const given = paramGroup.params;
    // (Python refuses sets, whose order changes between runs; JS sets keep insertion order.)
    const entries: unknown[] = given instanceof Tensor ? [given] : [...(given as Iterable<unknown>)];
    const params: Tensor[] = [];
    const names: string[] = [];
    for (const entry of entries) {
      if (Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string') {
        names.push(entry[0]);
        params.push(entry[1] as Tensor);
      } else {
        params.push(entry as Tensor);
      }
    }
    if (names.length !== 0 && names.length !== params.length) {
      throw new Error('all optimizer params should be with/without names. Some param names are missing');
    }
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${describe(p)}`);
      if (!p.isLeaf && !(ops.aten.retains_grad.default(p) as boolean)) throw new Error("can't optimize a non-leaf Tensor");
    }
    const group: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(paramGroup)) {
      // Groups may carry keys of the caller's own; a Python spelling of an option is a mistake.
      const camel = camelName(key);
      if (camel !== key && camel in this.defaults) {
        throw new TypeError(`param group option '${key}' is spelled '${camel}' in torch-node`);
      }
      if (key !== 'params' && value !== undefined) group[key] = value;
    }
    for (const [key, value] of Object.entries(this.defaults)) if (!(key in group)) group[key] = copyValue(value, false);
    group.params = params;
    if (names.length !== 0) group.paramNames = names;
    if (new Set(params).size !== params.length) {
      console.warn('optimizer contains a parameter group with duplicate parameters; in future, this will cause an error');
    }
    for (const existing of this.paramGroups) {
      if (('paramNames' in group) !== ('paramNames' in existing)) {
        throw new Error(`all optimizer param groups should be with/without names. cannot add param group ${'paramNames' in group ? 'with' : 'without'} names to the optimizer`);
      }
      if (params.some((p) => existing.params.includes(p))) throw new Error('some parameters appear in more than one parameter group');
    }
    this.paramGroups.push(group as ParamGroup<O>);
  }

  /** Sets the gradients to null (the default, as in PyTorch 2) or, with setToNone: false, to zeros. */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    const setToNone = options.setToNone ?? true;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        // Not reading p.grad first: a JS handle to last step's gradient would keep its memory
        // alive until the next major GC (bench/RESULTS.md: 20-30% of an MLP step).
        if (setToNone) {
          p.grad = null;
          continue;
        }
        const grad = p.grad;
        if (grad === null) continue;
        if (grad.gradFn !== null) grad.detach_();
        else grad.requiresGrad_(false);
        grad.zero_();
      }
    }
  }

  /**
   * One update of every parameter that has a gradient. `closure` (optional) re-evaluates the
   * model and returns the loss; it runs with autograd on, and step returns what it returned.
   */
  step<L = Tensor | number>(closure?: () => L): L | undefined {
    const loss = closure === undefined ? undefined : enableGrad(closure);
    noGrad(() => tidy(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          const grad = p.grad;
          if (grad !== null) this.update(p, grad, group);
        }
      }
    }));
    return loss;
  }

  /** The update rule for one parameter, run without autograd. */
  protected abstract update(param: Tensor, grad: Tensor, group: ParamGroup<O>): void;

  /** A parameter's state, created empty on first use. */
  protected stateOf(param: Tensor): OptimizerState {
    let state = this.state.get(param);
    if (state === undefined) this.state.set(param, (state = {}));
    return state;
  }

  /** Stores a tensor in state: it must outlive the torch.tidy scope a step may run in. */
  protected keep<T extends Tensor>(tensor: T): T {
    return keep(tensor);
  }

  /**
   * The optimizer's state: `state` keyed by each parameter's position in the groups (in order),
   * and `paramGroups` with their options and those positions. Tensors are copies, so training
   * on does not change a saved dict. `torch.save` can write it. With { format: 'pytorch' }, the
   * same in PyTorch's layout, for Python's load_state_dict (PyTorchOptimizerStateDict).
   */
  stateDict(): OptimizerStateDict<O>;
  stateDict(options: { format: 'pytorch' }): PyTorchOptimizerStateDict;
  stateDict(options: { format?: 'torch-node' | 'pytorch' }): OptimizerStateDict<O> | PyTorchOptimizerStateDict;
  stateDict(options: { format?: 'torch-node' | 'pytorch' } = {}): OptimizerStateDict<O> | PyTorchOptimizerStateDict {
    const sd = this.nodeStateDict();
    if ((options.format ?? 'torch-node') === 'torch-node') return sd;
    if (options.format !== 'pytorch') throw new Error(`stateDict: format must be 'torch-node' or 'pytorch', got '${String(options.format)}'`);
    const python = (o: Record<string, unknown>, convert: (key: string, v: unknown) => unknown) =>
      Object.fromEntries(Object.entries(o).map(([k, v]) => [pythonName(k), convert(k, v)]));
    return {
      state: Object.fromEntries(Object.entries(sd.state).map(([id, s]) => [id, python(s, (k, v) =>
        (k === 'step' && typeof v === 'number' ? tensor(v, { dtype: float32 }) : v))])),
      param_groups: sd.paramGroups.map((g) => python(g, (k, v) => (k === 'params' ? (v as number[]).map(String) : v))),
    };
  }

  private nodeStateDict(): OptimizerStateDict<O> {
    const index = new Map<Tensor, number>();
    let next = 0;
    const paramGroups = this.paramGroups.map((group) => {
      const packed: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(group)) if (key !== 'params') packed[key] = copyValue(value, false);
      for (const p of group.params) if (!index.has(p)) index.set(p, next++);
      packed.params = group.params.map((p) => index.get(p)!);
      return packed;
    });
    const state: Record<number, OptimizerState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = copyValue(s, true) as OptimizerState;
    }
    return { state, paramGroups } as OptimizerStateDict<O>;
  }

  /**
   * Restores a stateDict() (from this optimizer class over the same parameters, in the same
   * order); groups take the saved options. PyTorch's own state_dict, read with torch.load
   * (snake_case names, `step` as a tensor), loads too.
   */
  loadStateDict(stateDict: OptimizerStateDict<O> | Record<string, unknown>): void {
    const sd = stateDict as Record<string, unknown>;
    const savedGroups = (sd.paramGroups ?? sd.param_groups) as Record<string, unknown>[] | undefined;
    const savedState = (sd.state ?? {}) as Record<string, Record<string, unknown>>;
    if (!Array.isArray(savedGroups)) throw new Error('loadStateDict: expected an object with state and paramGroups');
    if (savedGroups.length !== this.paramGroups.length) {
      throw new Error('loaded state dict has a different number of parameter groups');
    }
    savedGroups.forEach((saved, i) => {
      if ((saved.params as unknown[]).length !== this.paramGroups[i].params.length) {
        throw new Error("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      }
    });
    const idMap = new Map<string, Tensor>();
    savedGroups.forEach((saved, i) => {
      (saved.params as (number | bigint)[]).forEach((id, j) => idMap.set(String(id), this.paramGroups[i].params[j]));
    });

    const groups = savedGroups.map((saved, i) => {
      const group: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(saved)) {
        const name = camelName(key);
        if (key === 'params' || (IMPLEMENTATION_FLAGS.has(name) && !(name in this.defaults))) continue;
        group[name] = copyValue(value, false);
      }
      // Options this class has that the saved dict predates (PyTorch's __setstate__ defaults).
      for (const [key, value] of Object.entries(this.defaults)) if (!(key in group)) group[key] = copyValue(value, false);
      const current = this.paramGroups[i];
      group.params = current.params;
      if (current.paramNames !== undefined && group.paramNames === undefined) group.paramNames = current.paramNames;
      return group as ParamGroup<O>;
    });

    const state = new Map<Tensor, OptimizerState>();
    for (const [id, saved] of Object.entries(savedState)) {
      const param = idMap.get(id);
      if (param === undefined) continue;
      const entry: OptimizerState = {};
      for (const [key, value] of Object.entries(saved)) {
        const name = camelName(key);
        entry[name] = name === 'step' && value instanceof Tensor ? value.item() : castState(param, value);
      }
      keepAll(entry);
      state.set(param, entry);
    }
    this.paramGroups.splice(0, this.paramGroups.length, ...groups);
    this.state.clear();
    for (const [p, s] of state) this.state.set(p, s);
    this.afterLoadStateDict();
  }

  /** Subclasses fix up loaded groups here (AdamW forces decoupled weight decay on). */
  protected afterLoadStateDict(): void {}
}

/** A copy of a state value with its tensors on the parameter's device (and dtype, for floating point). */
function castState(param: Tensor, value: unknown): unknown {
  if (value instanceof Tensor) {
    const moved = param.isFloatingPoint() ? value.to(param.dtype, param.device) : value.to(param.device);
    return moved.detach().clone();
  }
  if (Array.isArray(value)) return value.map((v) => castState(param, v));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, castState(param, v)]));
  return value;
}
