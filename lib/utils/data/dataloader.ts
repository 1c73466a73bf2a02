// torch.utils.data.DataLoader (single process): batches of samples, shuffled in PyTorch's
// order for the same seed or generator, collated into tensors.
import { Tensor } from '../../tensor';
import type { Generator as TorchGenerator } from '../../generator';
import { Generator } from '../../generator';
import { empty, randperm, stack } from '../../generated/functions';
import { tensor } from '../../creation';
import { int64 } from '../../dtype';
import { Dataset } from './dataset';

export interface DataLoaderOptions<T, B> {
  batchSize?: number;
  shuffle?: boolean;
  dropLast?: boolean;
  generator?: TorchGenerator | null;
  /** The indices to load, in order (e.g. a DistributedSampler); excludes `shuffle`. */
  sampler?: (Iterable<number> & { readonly length: number }) | null;
  collateFn?: (samples: T[]) => B;
}

/** Stacks tensors, turns numbers into a tensor, and recurses into arrays and objects. */
export function defaultCollate(samples: unknown[]): unknown {
  const first = samples[0];
  if (first instanceof Tensor) return stack(samples as Tensor[]);
  if (typeof first === 'number') return tensor(samples as number[], { dtype: samples.every(Number.isInteger) ? int64 : undefined });
  if (typeof first === 'boolean') return tensor(samples as boolean[]);
  if (Array.isArray(first)) return first.map((_, i) => defaultCollate(samples.map((s) => (s as unknown[])[i])));
  if (first !== null && typeof first === 'object') {
    return Object.fromEntries(Object.keys(first).map((k) => [k, defaultCollate(samples.map((s) => (s as Record<string, unknown>)[k]))]));
  }
  return samples;
}

export class DataLoader<T = unknown, B = unknown> implements Iterable<B> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator: TorchGenerator | null;
  readonly sampler: (Iterable<number> & { readonly length: number }) | null;
  private readonly collate: (samples: T[]) => B;

  constructor(readonly dataset: Dataset<T> | T[], options: DataLoaderOptions<T, B> = {}) {
    this.batchSize = options.batchSize ?? 1;
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.generator = options.generator ?? null;
    this.sampler = options.sampler ?? null;
    if (this.sampler && this.shuffle) throw new Error('sampler option is mutually exclusive with shuffle');
    this.collate = options.collateFn ?? (defaultCollate as (samples: T[]) => B);
    if (!(this.batchSize >= 1)) throw new Error(`batch_size should be a positive integer value, but got batch_size=${this.batchSize}`);
  }

  /** The number of batches per epoch. */
  get length(): number {
    const n = this.sampler ? this.sampler.length : this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  private order(): number[] {
    // PyTorch's order: the iterator draws a base seed first, shuffled or not, then
    // RandomSampler permutes with the loader's generator, or one seeded from the global one.
    const draw = (g: TorchGenerator | null) => empty([], { dtype: int64 }).random_(g ? { generator: g } : {});
    draw(this.generator);
    if (this.sampler) return [...this.sampler];
    const n = this.dataset.length;
    if (!this.shuffle) return Array.from({ length: n }, (_, i) => i);
    let g = this.generator;
    if (!g) g = new Generator().manualSeed((draw(null).toTypedArray() as BigInt64Array)[0]);
    return randperm(n, { generator: g }).tolist() as number[];
  }

  *[Symbol.iterator](): Iterator<B> {
    const order = this.order();
    const get = (i: number) => (Array.isArray(this.dataset) ? this.dataset[i] : this.dataset.getItem(i));
    for (let start = 0; start < order.length; start += this.batchSize) {
      const indices = order.slice(start, start + this.batchSize);
      if (indices.length < this.batchSize && this.dropLast) return;
      yield this.collate(indices.map(get));
    }
  }
}
