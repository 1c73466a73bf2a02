// Sequential and ModuleList: children stored under '0', '1', ..., as in PyTorch, so state
// dict keys ('0.weight') match checkpoints written there.
import type { Tensor } from '../../tensor';
import { Module } from '../module';

export class Sequential extends Module {
  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => this.registerModule(String(i), m));
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
}

export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) { super(); }
  override forward(input: Tensor): Tensor { return input.flatten(this.startDim, this.endDim); }
  override extraRepr(): string { return `start_dim=${this.startDim}, end_dim=${this.endDim}`; }
}

export class ModuleDict extends Module {
  constructor(modules: Record<string, Module> = {}) {
    super();
    for (const [name, m] of Object.entries(modules)) this.registerModule(name, m);
  }
  get(name: string): Module | undefined {
    return this.namedChildren().find(([n]) => n === name)?.[1];
  }
  set(name: string, module: Module): this {
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
