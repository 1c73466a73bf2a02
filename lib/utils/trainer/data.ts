// The data Trainer takes: tensors (x a Tensor, or an array of them for a model whose forward
// takes several inputs, and y a Tensor) cut into batches here, or an iterable of batches
// (a DataLoader), each batch an array [...inputs, target] or, for predict, a bare input.
import { Tensor } from '../../tensor';
import { Device } from '../../device';
import type { Generator } from '../../generator';
import { randperm } from '../../generated/functions';

export type Inputs = Tensor | Tensor[];
/**
 * Batches as a DataLoader over TensorDataset(x, y) yields them: [x, y]; several inputs:
 * [x1, x2, y]. Typed loosely (a DataLoader's batches are `unknown`); checked batch by batch.
 */
export type BatchIterable = Iterable<unknown>;

export interface Batch {
  inputs: Tensor[];
  target: Tensor | null;
}

const shapeOf = (t: Tensor) => `[${t.shape.join(', ')}]`;

/** Tensors with one sample per row, cut into batches by row ranges or by a permutation. */
export class TensorData {
  constructor(readonly inputs: Tensor[], readonly target: Tensor | null) {}

  get length(): number {
    return this.inputs[0].size(0);
  }

  /** Checks x and y (who: 'fit()', ...): tensors, at least one dimension, as many rows each. */
  static from(x: Inputs, y: Tensor | null | undefined, who: string): TensorData {
    const inputs = x instanceof Tensor ? [x] : x;
    if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((t) => t instanceof Tensor)) {
      throw new TypeError(`${who}: expected x to be a Tensor, an array of Tensors or an iterable of batches, got ${describe(x)}`);
    }
    if (y !== null && y !== undefined && !(y instanceof Tensor)) throw new TypeError(`${who}: expected y to be a Tensor, got ${describe(y)}`);
    const all = y instanceof Tensor ? [...inputs, y] : inputs;
    const scalar = all.find((t) => t.dim() === 0);
    if (scalar !== undefined) throw new Error(`${who}: expected tensors with a batch dimension, got a 0-dimensional tensor`);
    const rows = all.map((t) => t.size(0));
    if (rows.some((n) => n !== rows[0])) {
      const sizes = inputs.map((t) => `x ${shapeOf(t)}`).concat(y instanceof Tensor ? [`y ${shapeOf(y)}`] : []);
      throw new Error(`${who}: x and y must have the same number of samples (first dimension), got ${sizes.join(', ')}`);
    }
    if (rows[0] === 0) throw new Error(`${who}: got no samples (the first dimension is 0)`);
    return new TensorData(inputs, y ?? null);
  }

  /** Keras's validation_split: the last `fraction` of the samples (Keras 3 trains on the first floor(n (1 - fraction))), taken before any shuffling. */
  split(fraction: number): [TensorData, TensorData] {
    if (!(fraction > 0 && fraction < 1)) throw new Error(`fit(): expected validationSplit in (0, 1), got ${fraction}`);
    const at = Math.floor(this.length * (1 - fraction));
    if (at === 0 || at === this.length) {
      throw new Error(`fit(): ${this.length} samples are too few to split with validationSplit ${fraction}`);
    }
    const part = (start: number, n: number) => new TensorData(this.inputs.map((t) => t.narrow(0, start, n)), this.target?.narrow(0, start, n) ?? null);
    return [part(0, at), part(at, this.length - at)];
  }

  /** A permutation of the rows for one shuffled epoch. */
  permutation(generator?: Generator): Tensor {
    return randperm(this.length, generator ? { generator } : {});
  }

  /** Rows [start, end), of the permutation `order` when given (views when not shuffled). */
  take(start: number, end: number, order: Tensor | null): Batch {
    const rows = (t: Tensor) => (order === null ? t.narrow(0, start, end - start) : t.indexSelect(0, order.narrow(0, start, end - start)));
    return { inputs: this.inputs.map(rows), target: this.target === null ? null : rows(this.target) };
  }
}

/** One item of an iterable of batches, as inputs and target; predict's items may lack the target. */
export function splitBatch(item: unknown, needsTarget: boolean, who: string): Batch {
  if (item instanceof Tensor) {
    if (needsTarget) throw new Error(`${who}: expected each batch to be an array [...inputs, target], got a bare Tensor`);
    return { inputs: [item], target: null };
  }
  if (!Array.isArray(item) || item.length === 0 || !item.every((t) => t instanceof Tensor)) {
    throw new TypeError(`${who}: expected each batch to be an array of Tensors [...inputs, target], got ${describe(item)}`);
  }
  if (item.length === 1) {
    if (needsTarget) throw new Error(`${who}: expected each batch to be [...inputs, target], got a batch of one tensor`);
    return { inputs: item, target: null };
  }
  return { inputs: item.slice(0, -1), target: item[item.length - 1] };
}

export function isBatchIterable(x: unknown): x is BatchIterable {
  return x !== null && typeof x === 'object' && !(x instanceof Tensor) && !Array.isArray(x) &&
    typeof (x as Iterable<unknown>)[Symbol.iterator] === 'function';
}

/** Batches per epoch of an iterable, when it says (DataLoader's length). */
export function iterableLength(data: BatchIterable): number | null {
  const n = (data as { length?: unknown }).length;
  return typeof n === 'number' ? n : null;
}

/** The tensor on `device` (null: where it is). */
export function moveTo(t: Tensor, device: Device | null): Tensor {
  return device === null || String(t.device) === String(device) ? t : t.to(device);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value;
}
