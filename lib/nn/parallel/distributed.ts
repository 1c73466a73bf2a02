// nn.parallel.DistributedDataParallel: data-parallel training over a process group, driven
// by c10d::Reducer, the C++ engine of PyTorch's own DDP (so nothing is reimplemented here).
//
// How gradients get averaged without any call from the training loop:
// - At construction, rank 0's parameters and buffers are broadcast to every rank (after a
//   check that all ranks hold the same parameter shapes), and the Reducer registers a hook
//   on each parameter's gradient accumulator (the autograd node that writes `.grad`).
// - forward() runs the wrapped module between the Reducer's prepare_for_forward and
//   prepare_for_backward calls, as PyTorch's does, which arms the hooks for one backward.
// - During loss.backward(), each hook copies its gradient, divided by the world size, into a
//   bucket; a full bucket is all-reduced (SUM) asynchronously while backward goes on; a
//   callback queued on the autograd engine waits for every bucket at the end of backward
//   and writes the averaged gradients back into `.grad`. So backward() returns with the same
//   `.grad` on every rank, and any optimizer's step() then keeps the replicas identical.
// - Buckets are 25 MB (the first 1 MB); after the first backward they are rebuilt once in
//   the order gradients actually arrived (a collective, at the start of the next forward).
// Errors in a collective (a rank gone, the timeout) surface as a JS Error from forward()
// or backward(). Every rank must call forward and backward the same number of times; run
// evaluation under torch.noGrad (or noSync) so that it arms no reduction.
import { native } from '../../native';
import { Tensor } from '../../tensor';
import { isGradEnabled } from '../../autograd';
import { Module } from '../module';
import { resolveGroup } from '../../distributed/process-group';
import type { ProcessGroup } from '../../distributed/process-group';

const MB = 1024 * 1024;
const FIRST_BUCKET_BYTES = 1 * MB; // torch.distributed._DEFAULT_FIRST_BUCKET_BYTES
const BROADCAST_BUCKET_BYTES = 250 * MB; // DDP's broadcast_bucket_size

export interface DistributedDataParallelOptions {
  /** The group to train over (default: the default group). */
  processGroup?: ProcessGroup;
  /** Bucket size in megabytes for the gradient all-reduce (default 25). */
  bucketCapMb?: number;
  /** Broadcast rank 0's buffers (batch norm statistics) before each forward (default true). */
  broadcastBuffers?: boolean;
  /**
   * Search each forward's output graph for parameters that get no gradient, so the
   * reduction does not wait for them (default false: every parameter must get a gradient).
   */
  findUnusedParameters?: boolean;
  /** Make `.grad` views into the all-reduce buckets, saving a copy (default false). */
  gradientAsBucketView?: boolean;
  /** Check shapes and broadcast rank 0's state at construction (default true). */
  initSync?: boolean;
}

/** Every tensor inside a forward's output (arrays and plain objects searched). */
function findTensors(value: unknown, out: Tensor[] = []): Tensor[] {
  if (value instanceof Tensor) out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => findTensors(v, out));
  else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    Object.values(value).forEach((v) => findTensors(v, out));
  }
  return out;
}

/**
 * Wraps `module` for data-parallel training: each rank feeds its own part of the batch to
 * `ddp.forward(...)`, calls `loss.backward()`, and finds `.grad` averaged over the ranks.
 * Build it after moving the module to its device; its state dict keys start with `module.`.
 */
export class DistributedDataParallel<M extends Module = Module> extends Module {
  /** The wrapped module. */
  readonly module: M;
  readonly #group: ProcessGroup;
  readonly #reducer: unknown;
  readonly #broadcastBuffers: boolean;
  readonly #findUnused: boolean;
  #requireBackwardGradSync = true;
  #requireForwardParamSync = true;

  constructor(module: M, options: DistributedDataParallelOptions = {}) {
    super();
    if (!(module instanceof Module)) throw new Error(`expected an nn.Module for DistributedDataParallel, got ${typeof module}`);
    this.module = module;
    this.#group = resolveGroup(options.processGroup, 'DistributedDataParallel');
    this.#broadcastBuffers = options.broadcastBuffers ?? true;
    this.#findUnused = options.findUnusedParameters ?? false;
    const bucketCapMb = options.bucketCapMb ?? 25;
    if (!(bucketCapMb > 0)) throw new Error(`expected a positive bucketCapMb, got ${bucketCapMb}`);
    const named = module.namedParameters().filter(([, p]) => p.requiresGrad);
    if (named.length === 0) {
      throw new Error('DistributedDataParallel is not needed when a module doesn\'t have any parameter that requires a gradient.');
    }
    const params = named.map(([, p]) => p._h);
    if (options.initSync ?? true) {
      native.distVerifyParams(this.#group._g, params);
      const state = [...module.parameters(), ...(this.#broadcastBuffers ? module.buffers() : [])];
      native.distBroadcastCoalesced(this.#group._g, state.map((t) => t._h), BROADCAST_BUCKET_BYTES, 0);
    }
    this.#reducer = native.ddpReducerNew(this.#group._g, params, named.map(([n]) => n), Math.floor(bucketCapMb * MB),
      FIRST_BUCKET_BYTES, this.#findUnused, options.gradientAsBucketView ?? false);
  }

  /** The process group gradients are averaged over. */
  get processGroup(): ProcessGroup {
    return this.#group;
  }

  override forward(...args: unknown[]): unknown {
    const grad = isGradEnabled();
    const sync = grad && this.#requireBackwardGradSync;
    if (sync) native.ddpPrepareForForward(this.#reducer);
    if (grad) native.ddpRebuildBuckets(this.#reducer);
    const buffers = this.module.buffers();
    if (this.#requireForwardParamSync && this.#broadcastBuffers && buffers.length > 0) {
      native.distBroadcastCoalesced(this.#group._g, buffers.map((b) => b._h), BROADCAST_BUCKET_BYTES, 0);
    }
    const output = this.module.forward(...args);
    this.#requireForwardParamSync = sync;
    if (sync) native.ddpPrepareForBackward(this.#reducer, this.#findUnused ? findTensors(output).map((t) => t._h) : []);
    return output;
  }

  /**
   * Python's `no_sync()`: forwards and backwards inside accumulate local gradients without
   * communicating; the first backward after it averages the accumulated sums.
   * `ddp.noSync(() => ...)` or `using _ = ddp.noSync()`.
   */
  noSync<T>(fn: () => T): T;
  noSync(): Disposable;
  noSync<T>(fn?: () => T): T | Disposable {
    const previous = this.#requireBackwardGradSync;
    this.#requireBackwardGradSync = false;
    const restore = () => { this.#requireBackwardGradSync = previous; };
    if (fn === undefined) return { [Symbol.dispose]: restore };
    try {
      return fn();
    } finally {
      restore();
    }
  }
}
