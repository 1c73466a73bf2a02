// torch.distributed stores: the key-value rendezvous c10d's process groups are built on.
// TCPStore is served by one process (rank 0) over TCP, FileStore lives in a shared file,
// PrefixStore namespaces another store. All are libtorch's own c10d stores.
import { native } from '../native';

/** Default timeout of process groups and of their rendezvous: 30 minutes, as PyTorch's. */
export const DEFAULT_TIMEOUT_MS = 30 * 60 * 1000;
/** Default timeout of a TCPStore made by hand: 300 seconds, as PyTorch's. */
const STORE_TIMEOUT_MS = 300 * 1000;

export interface StoreOptions {
  /** Milliseconds to wait for a connection, or for a key in get(). */
  timeout?: number;
}

/** A c10d key-value store. */
export abstract class Store {
  /** @internal the native handle */
  readonly _s: unknown;

  protected constructor(handle: unknown) {
    this._s = handle;
  }

  /** Sets `key` (strings are stored as UTF-8). */
  set(key: string, value: string | Uint8Array): void {
    if (!(typeof value === 'string' || value instanceof Uint8Array)) {
      throw new Error(`expected a string or Uint8Array value for Store.set, got ${typeof value}`);
    }
    native.distStoreSet(this._s, key, typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
  }

  /** The value of `key`, waiting for it to be set (within the store's timeout). */
  get(key: string): Buffer {
    return native.distStoreGet(this._s, key);
  }

  /** Adds `amount` to the integer counter at `key` (0 when unset); returns the new value. */
  add(key: string, amount: number): number {
    if (!Number.isInteger(amount)) throw new Error(`expected an integer amount for Store.add, got ${amount}`);
    return native.distStoreAdd(this._s, key, amount);
  }
}

/** The timeout if it is a positive integer of milliseconds; throws otherwise. @internal */
export function checkTimeout(timeout: number): number {
  if (!(Number.isInteger(timeout) && timeout > 0)) throw new Error(`expected a positive integer timeout in milliseconds, got ${timeout}`);
  return timeout;
}

/**
 * A store served over TCP by the process created with `isMaster` (it waits for `worldSize`
 * processes to connect when that is given); the others connect to `hostName:port`.
 */
export class TCPStore extends Store {
  constructor(hostName: string, port: number, worldSize: number | null = null, isMaster = false, options: StoreOptions = {}) {
    if (!(Number.isInteger(port) && port >= 0 && port < 65536)) throw new Error(`port must have value from 0 to 65535 but was ${port}.`);
    if (worldSize !== null && !(Number.isInteger(worldSize) && worldSize > 0)) {
      throw new Error(`expected a positive integer worldSize for TCPStore, got ${worldSize}`);
    }
    super(native.distTcpStore(hostName, port, isMaster, worldSize, checkTimeout(options.timeout ?? STORE_TIMEOUT_MS)));
  }
}

/** A store kept in a file that every process can open (a local or shared file system). */
export class FileStore extends Store {
  constructor(fileName: string, worldSize = -1, options: StoreOptions = {}) {
    super(native.distFileStore(fileName, worldSize, checkTimeout(options.timeout ?? STORE_TIMEOUT_MS)));
  }
}

/** A view of `store` whose keys are prefixed with `${prefix}/`. */
export class PrefixStore extends Store {
  constructor(prefix: string, store: Store) {
    super(native.distPrefixStore(prefix, store._s));
  }
}
