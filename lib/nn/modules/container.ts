// Sequential, ModuleList, ParameterList: entries stored under '0', '1', ..., as in PyTorch, so
// state dict keys ('0.weight') match checkpoints written there; ModuleDict and ParameterDict
// under their keys.
import { Tensor } from '../../tensor';
import { Module } from '../module';
import { Parameter } from '../parameter';

/** new Sequential(a, b, c), or with names as Python's Sequential(OrderedDict(...)): new Sequential({ conv: a, act: b }). */
export class Sequential extends Module {
  constructor(...modules: Module[] | [Record<string, Module>]) {
    super();
    const first = modules[0] as unknown;
    if (modules.length === 1 && !(first instanceof Module) && first !== null && typeof first === 'object') {
      for (const [name, m] of Object.entries(first as Record<string, Module>)) {
        this._verbatimNames.add(name);
        this.registerModule(name, m);
      }
    } else (modules as Module[]).forEach((m, i) => this.registerModule(String(i), m));
  }

  get length(): number {
    return this.children().length;
  }

  at(index: number): Module {
    const children = this.children();
    const m = children[index < 0 ? index + children.length : index];
    if (!m) throw new RangeError(`index ${index} is out of range`);
    return m;
  }

  append(module: Module): this {
    this.registerModule(String(this.length), module);
    return this;
  }

  /** Python's seq[start:end]: a Sequential of the same modules (not copies), under their names. */
  slice(start?: number, end?: number): Sequential {
    const out = new Sequential();
    for (const [name, m] of this.namedChildren().slice(start, end)) {
      if (this._verbatimNames.has(name)) out._verbatimNames.add(name);
      out.registerModule(name, m);
    }
    return out;
  }

  override forward(input: unknown): Tensor {
    let x = input;
    for (const m of this.children()) x = m.forward(x);
    return x as Tensor;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.children()[Symbol.iterator]();
  }
}

export class ModuleList extends Module {
  constructor(modules: Iterable<Module> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  get length(): number {
    return this.children().length;
  }

  at(index: number): Module {
    return Sequential.prototype.at.call(this, index);
  }

  append(module: Module): this {
    this.registerModule(String(this.length), module);
    return this;
  }

  /** Python's mlist[start:end]: a ModuleList of the same modules (not copies), numbered from 0. */
  slice(start?: number, end?: number): ModuleList {
    return new ModuleList(this.children().slice(start, end));
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.children()[Symbol.iterator]();
  }

  /** PyTorch's ModuleList printout: runs of identical modules as "(0-5): 6 x Layer(...)". */
  override toString(): string {
    const reprs = this.children().map(String);
    if (reprs.length === 0) return 'ModuleList()';
    const lines: string[] = [];
    for (let start = 0; start < reprs.length;) {
      let end = start;
      while (end + 1 < reprs.length && reprs[end + 1] === reprs[start]) end++;
      const label = start === end ? `(${start}): ` : `(${start}-${end}): ${end - start + 1} x `;
      lines.push((label + reprs[start]).split('\n').join('\n  '));
      start = end + 1;
    }
    return `ModuleList(\n  ${lines.join('\n  ')}\n)`;
  }
}

export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) { super(); }
  override forward(input: Tensor): Tensor { return input.flatten(this.startDim, this.endDim); }
  override extraRepr(): string { return `start_dim=${this.startDim}, end_dim=${this.endDim}`; }
}

export class ModuleDict extends Module {
  constructor(modules: Record<string, Module> = {}) {
    super();
    for (const [name, m] of Object.entries(modules)) this.set(name, m);
  }
  get(name: string): Module | undefined {
    return this.namedChildren().find(([n]) => n === name)?.[1];
  }
  /** Keys are state dict names as they are (a key 'Encoder' stays 'Encoder', as in PyTorch). */
  set(name: string, module: Module): this {
    this._verbatimNames.add(name);
    this.registerModule(name, module);
    return this;
  }
  keys(): string[] { return this.namedChildren().map(([n]) => n); }
  values(): Module[] { return this.children(); }
  items(): [string, Module][] { return this.namedChildren(); }
}

export class Unflatten extends Module {
  constructor(readonly dim: number, readonly unflattenedSize: number[]) { super(); }
  override forward(input: Tensor): Tensor { return input.unflatten(this.dim, this.unflattenedSize); }
  override extraRepr(): string { return `dim=${this.dim}, unflattened_size=(${this.unflattenedSize.join(', ')})`; }
}

// ---- ParameterList and ParameterDict ------------------------------------------------------------

/** A tensor becomes a Parameter (requiring grad), as PyTorch's containers wrap it; a Parameter is kept as it is. */
function asParameter(value: Tensor, where: string): Parameter {
  if (!(value instanceof Tensor)) {
    const kind = value === null ? 'null' : typeof value === 'object' ? (value as object).constructor?.name ?? 'Object' : typeof value;
    throw new TypeError(`expected a Tensor or Parameter for ${where}, got ${kind}`);
  }
  return value instanceof Parameter ? value : new Parameter(value);
}

const TYPE_NAMES: Record<string, string> = {
  float32: 'Float', float64: 'Double', float16: 'Half', bfloat16: 'BFloat16', int64: 'Long', int32: 'Int', int16: 'Short',
  int8: 'Char', uint8: 'Byte', bool: 'Bool', complex64: 'ComplexFloat', complex128: 'ComplexDouble',
};

/** One line of PyTorch's ParameterList / ParameterDict printout: "(k): Parameter containing: [torch.float32 of size 2x3]". */
function parameterLine(key: string, p: Parameter, typeName: (p: Parameter) => string): string {
  const device = p.device.type === 'cuda' ? ` (${p.device})` : '';
  return `    (${key}): Parameter containing: [${typeName(p)} of size ${p.shape.join('x')}${device}]`;
}

const printout = (name: string, lines: string[]) => (lines.length ? `${name}(\n${lines.join('\n')}\n)` : `${name}()`);

/** nn.ParameterList: parameters registered as '0', '1', ... (state dict keys '0', '1', as in PyTorch). */
export class ParameterList extends Module {
  constructor(values: Iterable<Tensor> = []) {
    super();
    this.extend(values);
  }

  get length(): number {
    return Object.keys(this).filter((k) => /^\d+$/.test(k)).length;
  }

  /** The parameter at index (negative counts from the end), as Python's plist[i]. */
  at(index: number): Parameter {
    return (this as unknown as Record<string, Parameter>)[this.absoluteIndex(index)];
  }

  /** plist[i] = value: a tensor is wrapped into a Parameter. */
  set(index: number, value: Tensor): this {
    (this as unknown as Record<string, Parameter>)[this.absoluteIndex(index)] = asParameter(value, 'ParameterList.set');
    return this;
  }

  append(value: Tensor): this {
    (this as unknown as Record<string, Parameter>)[String(this.length)] = asParameter(value, 'ParameterList.append');
    return this;
  }

  extend(values: Iterable<Tensor>): this {
    if (values instanceof Tensor || values === null || typeof (values as Iterable<Tensor>)?.[Symbol.iterator] !== 'function') {
      const kind = values instanceof Tensor ? 'Tensor' : values === null ? 'null' : typeof values;
      throw new TypeError(`ParameterList.extend should be called with an iterable, but got ${kind}`);
    }
    for (const v of values) this.append(v);
    return this;
  }

  /** Python's plist[start:end]: a ParameterList of the same parameters (not copies), numbered from 0. */
  slice(start?: number, end?: number): ParameterList {
    return new ParameterList([...this].slice(start, end));
  }

  [Symbol.iterator](): Iterator<Parameter> {
    return Array.from({ length: this.length }, (_, i) => this.at(i))[Symbol.iterator]();
  }

  override forward(): never {
    throw new Error('ParameterList should not be called.');
  }

  override toString(): string {
    return printout('ParameterList', [...this].map((p, i) => parameterLine(String(i), p, (t) => String(t.dtype))));
  }

  private absoluteIndex(index: number): string {
    const n = this.length;
    if (!Number.isInteger(index) || index < -n || index >= n) throw new RangeError(`index ${index} is out of range`);
    return String(index < 0 ? index + n : index);
  }
}

/** Keys, and values for a ParameterDict: a plain object (keys sorted, as PyTorch sorts a dict), a Map or [key, value] pairs (in order). */
export type ParameterDictInput = Record<string, Tensor> | Map<string, Tensor> | Iterable<[string, Tensor]> | ParameterDict;

/** nn.ParameterDict: parameters registered under their keys, in insertion order; iterating gives the keys, as in Python. */
export class ParameterDict extends Module {
  private readonly _keys = new Set<string>(); // a Set, so deepCopy copies it

  constructor(parameters: ParameterDictInput = {}) {
    super();
    this.update(parameters);
  }

  get length(): number { return this._keys.size; }
  has(key: string): boolean { return this._keys.has(key); }
  get(key: string): Parameter | undefined;
  get<D>(key: string, defaultValue: D): Parameter | D;
  get(key: string, defaultValue?: unknown): unknown {
    return this.has(key) ? (this as unknown as Record<string, Parameter>)[key] : defaultValue;
  }

  /** pdict[key] = value: a tensor is wrapped into a Parameter; the key is the state dict name as it is. */
  set(key: string, value: Tensor): this {
    if (typeof key !== 'string') {
      throw new TypeError(`Index given to ParameterDict cannot be used as a key as it is not a string (type is '${typeof key}')`);
    }
    if (key === '') throw new Error('parameter name can\'t be empty string ""');
    if (key.includes('.')) throw new Error('parameter name can\'t contain "."');
    if ((key in this && !this.has(key)) || key.startsWith('_')) throw new Error(`attribute '${key}' already exists`);
    const parameter = asParameter(value, `ParameterDict key '${key}'`);
    this._keys.add(key);
    this._verbatimNames.add(key);
    (this as unknown as Record<string, Parameter>)[key] = parameter;
    return this;
  }

  /** Removes key and returns its parameter (Python's pop). */
  pop(key: string): Parameter {
    const p = this.get(key);
    if (p === undefined) throw new Error(`KeyError: '${key}'`);
    this._keys.delete(key);
    this._verbatimNames.delete(key);
    delete (this as unknown as Record<string, Parameter>)[key];
    return p;
  }

  clear(): void { for (const k of [...this._keys]) this.pop(k); }
  keys(): string[] { return [...this._keys]; }
  values(): Parameter[] { return this.keys().map((k) => this.get(k)!); }
  items(): [string, Parameter][] { return this.keys().map((k) => [k, this.get(k)!]); }
  [Symbol.iterator](): Iterator<string> { return this.keys()[Symbol.iterator](); }

  update(parameters: ParameterDictInput): void {
    if (parameters === null || typeof parameters !== 'object') {
      throw new TypeError(`ParametersDict.update should be called with an iterable of key/value pairs, but got ${parameters === null ? 'null' : typeof parameters}`);
    }
    if (parameters instanceof ParameterDict) for (const [k, v] of parameters.items()) this.set(k, v);
    else if (parameters instanceof Map) for (const [k, v] of parameters) this.set(k, v);
    else if (Symbol.iterator in parameters) {
      let j = 0;
      for (const pair of parameters as Iterable<[string, Tensor]>) {
        if (!Array.isArray(pair) || pair.length !== 2) {
          throw new Error(`ParameterDict update sequence element #${j} has length ${Array.isArray(pair) ? pair.length : 'none'}; 2 is required`);
        }
        this.set(pair[0], pair[1]);
        j++;
      }
    } else for (const k of Object.keys(parameters).sort()) this.set(k, (parameters as Record<string, Tensor>)[k]);
  }

  override forward(): never {
    throw new Error('ParameterDict should not be called.');
  }

  /** PyTorch prints torch.typename here (torch.FloatTensor), where ParameterList prints the dtype. */
  override toString(): string {
    const typeName = (p: Parameter) => `torch.${p.device.type === 'cuda' ? 'cuda.' : ''}${TYPE_NAMES[p.dtype.name] ?? p.dtype.name}Tensor`;
    return printout('ParameterDict', this.items().map(([k, p]) => parameterLine(k, p, typeName)));
  }
}
