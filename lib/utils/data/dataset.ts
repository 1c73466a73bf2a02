// torch.utils.data datasets: Dataset (getItem + length), TensorDataset, Subset, randomSplit.
import type { Tensor } from '../../tensor';
import type { Generator } from '../../generator';
import { randperm } from '../../generated/functions';

export abstract class Dataset<T> {
  abstract getItem(index: number): T;
  abstract get length(): number;
}

/** Samples are the i-th slices of the tensors (all of the same first dimension). */
export class TensorDataset extends Dataset<Tensor[]> {
  readonly tensors: Tensor[];

  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new Error('TensorDataset needs at least one tensor');
    const n = tensors[0].size(0);
    if (tensors.some((t) => t.size(0) !== n)) throw new Error('Size mismatch between tensors');
    this.tensors = tensors;
  }

  getItem(index: number): Tensor[] {
    return this.tensors.map((t) => t.get(index));
  }

  get length(): number {
    return this.tensors[0].size(0);
  }
}

export class Subset<T> extends Dataset<T> {
  constructor(readonly dataset: Dataset<T> | T[], readonly indices: number[]) { super(); }
  getItem(index: number): T {
    const i = this.indices[index];
    return Array.isArray(this.dataset) ? this.dataset[i] : this.dataset.getItem(i);
  }
  get length(): number { return this.indices.length; }
}

/** Splits into non-overlapping subsets of the given lengths (or fractions), as PyTorch does. */
export function randomSplit<T>(dataset: Dataset<T> | T[], lengths: number[], options: { generator?: Generator } = {}): Subset<T>[] {
  const n = dataset.length;
  let sizes = lengths;
  if (lengths.every((l) => l > 0 && l < 1) && Math.abs(lengths.reduce((a, b) => a + b, 0) - 1) < 1e-9) {
    sizes = lengths.map((f) => Math.floor(n * f));
    for (let i = 0, rest = n - sizes.reduce((a, b) => a + b, 0); i < rest; i++) sizes[i % sizes.length] += 1;
  }
  if (sizes.reduce((a, b) => a + b, 0) !== n) throw new Error('Sum of input lengths does not equal the length of the input dataset!');
  const order = randperm(n, options.generator ? { generator: options.generator } : {}).tolist() as number[];
  let offset = 0;
  return sizes.map((size) => new Subset(dataset, order.slice(offset, (offset += size))));
}
