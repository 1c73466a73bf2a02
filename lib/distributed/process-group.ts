// Process groups: initProcessGroup builds the default group as PyTorch does (rendezvous, a
// "default_pg" prefix in the store, group "0", a Gloo backend), so a Python process can be one
// of its ranks. Collectives and DistributedDataParallel use it unless given another group.
import { native } from '../native';
import { DEFAULT_TIMEOUT_MS, PrefixStore, checkTimeout, type Store } from './store';
import { checkRankAndSize, rendezvous } from './rendezvous';

/** A set of processes that run collectives together. */
export class ProcessGroup {
  /** @internal the native handle */
  readonly _g: unknown;
  readonly #rank: number;
  readonly #size: number;
  /** The backend's name ('gloo'). */
  readonly backend: string;
  /** @internal true once destroyed */
  _destroyed = false;

  /** @internal use initProcessGroup */
  constructor(handle: unknown, rank: number, size: number, backend: string) {
    this._g = handle;
    this.#rank = rank;
    this.#size = size;
    this.backend = backend;
  }

  /** This process's rank in the group. */
  rank(): number {
    return this.#rank;
  }

  /** The number of processes in the group. */
  size(): number {
    return this.#size;
  }
}

export interface InitProcessGroupOptions {
  /** 'gloo' (CPU tensors; the default). 'nccl' is not built into torch-node (see README). */
  backend?: string;
  /** 'env://' (the default), 'tcp://host:port' or 'file:///path'. */
  initMethod?: string;
  /** A store to rendezvous through instead of initMethod (then rank and worldSize are required). */
  store?: Store;
  rank?: number;
  worldSize?: number;
  /** Milliseconds before a rendezvous or a collective fails (default 30 minutes). */
  timeout?: number;
}

let defaultGroup: ProcessGroup | null = null;

/**
 * Joins the default process group (Python's init_process_group):
 * `initProcessGroup('gloo')` under scripts/launch.mjs, or with options
 * `{ initMethod: 'tcp://10.0.0.1:23456', rank, worldSize }`. Blocks until every rank joined.
 */
export function initProcessGroup(backend?: string | InitProcessGroupOptions, options: InitProcessGroupOptions = {}): ProcessGroup {
  const opts = typeof backend === 'object' ? backend : { ...options, backend: backend ?? options.backend };
  if (defaultGroup !== null) throw new Error('trying to initialize the default process group twice!');
  const name = (opts.backend ?? 'gloo').toLowerCase();
  const timeout = checkTimeout(opts.timeout ?? DEFAULT_TIMEOUT_MS);
  let joined;
  if (opts.store) {
    if (opts.initMethod) throw new Error('Cannot specify both initMethod and store.');
    const [rank, worldSize] = checkRankAndSize(opts.rank, opts.worldSize, 'store');
    joined = { store: opts.store, rank, worldSize };
  } else {
    joined = rendezvous(opts.initMethod ?? 'env://', opts.rank, opts.worldSize, timeout);
  }
  const store = new PrefixStore('default_pg', joined.store);
  defaultGroup = new ProcessGroup(native.distNewGroup(store._s, name, joined.rank, joined.worldSize, timeout, '0'), joined.rank,
    joined.worldSize, name);
  return defaultGroup;
}

/** Whether initProcessGroup was called (and destroyProcessGroup not since). */
export function isInitialized(): boolean {
  return defaultGroup !== null;
}

/** The group to use: `group`, or the default one. @internal */
export function resolveGroup(group: ProcessGroup | undefined | null, what: string): ProcessGroup {
  const g = group ?? defaultGroup;
  if (g === null) {
    throw new Error(`${what}: Default process group has not been initialized, please make sure to call initProcessGroup.`);
  }
  if (g._destroyed) throw new Error(`${what}: the process group has been destroyed`);
  return g;
}

/** This process's rank in `group` (default: the default group). */
export function getRank(group?: ProcessGroup): number {
  return resolveGroup(group, 'getRank').rank();
}

/** The number of processes in `group` (default: the default group). */
export function getWorldSize(group?: ProcessGroup): number {
  return resolveGroup(group, 'getWorldSize').size();
}

/** The backend name of `group` (default: the default group). */
export function getBackend(group?: ProcessGroup): string {
  return resolveGroup(group, 'getBackend').backend;
}

/**
 * Leaves `group` (default: the default group, after which initProcessGroup may be called
 * again). Its work already queued finishes first.
 */
export function destroyProcessGroup(group?: ProcessGroup): void {
  const g = resolveGroup(group, 'destroyProcessGroup');
  native.distDestroyGroup(g._g);
  g._destroyed = true;
  if (g === defaultGroup) defaultGroup = null;
}

/** Whether torch.distributed can be used (this build has at least one backend). */
export function isAvailable(): boolean {
  return native.distGlooAvailable();
}

export function isGlooAvailable(): boolean {
  return native.distGlooAvailable();
}

/** False: c10d's NCCL backend lives in libtorch_cuda, which the addon does not link. */
export function isNcclAvailable(): boolean {
  return false;
}
