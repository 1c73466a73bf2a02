// Sequential and ModuleList: children stored under '0', '1', ..., as in PyTorch, so state
// dict keys ('0.weight') match checkpoints written there.
import type { Tensor } from '../../tensor';
import { Module } from '../module';

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
