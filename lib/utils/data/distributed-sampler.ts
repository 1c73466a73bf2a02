// torch.utils.data.distributed.DistributedSampler: each rank's share of a dataset's indices,
// the same partition as PyTorch's (a seeded permutation per epoch, padded by repeating its
// start so every rank gets as many samples, then every numReplicas-th index from `rank`).
import { Generator } from '../../generator';
import { randperm } from '../../generated/functions';
import { getRank, getWorldSize } from '../../distributed/process-group';
import type { Dataset } from './dataset';

export interface DistributedSamplerOptions {
  /** Number of ranks sharing the dataset (default: the default group's world size). */
  numReplicas?: number;
  /** This rank (default: the default group's rank). */
  rank?: number;
  /** Shuffle with seed + epoch (default true). */
  shuffle?: boolean;
  seed?: number;
  /** Drop the tail instead of padding, when the length does not divide evenly (default false). */
  dropLast?: boolean;
}

export class DistributedSampler implements Iterable<number> {
  readonly numReplicas: number;
  readonly rank: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  /** Samples this rank gets per epoch. */
  readonly numSamples: number;
  readonly totalSize: number;
  epoch = 0;

  constructor(readonly dataset: Dataset<unknown> | unknown[], options: DistributedSamplerOptions = {}) {
    this.numReplicas = options.numReplicas ?? getWorldSize();
    this.rank = options.rank ?? getRank();
    if (!(Number.isInteger(this.numReplicas) && this.numReplicas > 0)) {
      throw new Error(`expected a positive integer numReplicas, got ${this.numReplicas}`);
    }
    if (!Number.isInteger(this.rank) || this.rank >= this.numReplicas || this.rank < 0) {
      throw new Error(`Invalid rank ${this.rank}, rank should be in the interval [0, ${this.numReplicas - 1}]`);
    }
    this.shuffle = options.shuffle ?? true;
    this.seed = options.seed ?? 0;
    this.dropLast = options.dropLast ?? false;
    const n = dataset.length;
    this.numSamples = this.dropLast && n % this.numReplicas !== 0
      ? Math.ceil((n - this.numReplicas) / this.numReplicas)
      : Math.ceil(n / this.numReplicas);
    this.totalSize = this.numSamples * this.numReplicas;
  }

  /** The number of indices this rank gets per epoch. */
  get length(): number {
    return this.numSamples;
  }

  /** Sets the epoch, so that each epoch shuffles differently (call it before each epoch). */
  setEpoch(epoch: number): void {
    this.epoch = epoch;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataset.length;
    let indices = this.shuffle
      ? randperm(n, { generator: new Generator().manualSeed(this.seed + this.epoch) }).tolist() as number[]
      : Array.from({ length: n }, (_, i) => i);
    if (!this.dropLast) {
      const padding = this.totalSize - indices.length;
      const repeated = padding <= indices.length ? indices : Array.from({ length: Math.ceil(padding / n) }, () => indices).flat();
      indices = indices.concat(repeated.slice(0, padding));
    } else {
      indices = indices.slice(0, this.totalSize);
    }
    for (let i = this.rank; i < this.totalSize; i += this.numReplicas) yield indices[i];
  }
}
