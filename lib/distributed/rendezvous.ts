// Rendezvous as PyTorch's init_process_group does it: an init method URL (env://, tcp://,
// file://) becomes a store, this process's rank and the world size. env:// reads
// MASTER_ADDR, MASTER_PORT, RANK and WORLD_SIZE (set by scripts/launch.mjs, or torchrun).
import { FileStore, TCPStore, type Store } from './store';

export interface Rendezvous {
  store: Store;
  rank: number;
  worldSize: number;
}

const fail = (scheme: string, message: string) =>
  new Error(`Error initializing torch.distributed using ${scheme} rendezvous: ${message}`);

function integer(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n)) throw new Error(`expected an integer, got '${text}'`);
  return n;
}

/** Checks rank and world size as a group needs them; returns them. */
export function checkRankAndSize(rank: number | undefined, worldSize: number | undefined, scheme: string): [number, number] {
  if (worldSize === undefined) throw fail(scheme, 'world size parameter missing');
  if (rank === undefined) throw fail(scheme, 'rank parameter missing');
  if (!(Number.isInteger(worldSize) && worldSize > 0)) throw fail(scheme, `expected a positive integer world size, got ${worldSize}`);
  if (!(Number.isInteger(rank) && rank >= 0 && rank < worldSize)) {
    throw fail(scheme, `expected a rank in [0, ${worldSize - 1}], got ${rank}`);
  }
  return [rank, worldSize];
}

/**
 * The store, rank and world size for `initMethod`. Explicit `rank` and `worldSize` win over
 * the URL's `?rank=&world_size=` and over the environment, as in PyTorch.
 */
export function rendezvous(initMethod: string, rank: number | undefined, worldSize: number | undefined, timeoutMs: number): Rendezvous {
  const url = new URL(initMethod);
  const query = (name: string) => integer(url.searchParams.get(name));
  const scheme = `${url.protocol}//`;
  if (url.protocol === 'env:') {
    const env = (name: string) => {
      const value = process.env[name];
      if (value === undefined) throw fail(scheme, `environment variable ${name} expected, but not set`);
      return value;
    };
    const r = rank ?? query('rank') ?? integer(env('RANK'));
    const size = worldSize ?? query('world_size') ?? integer(env('WORLD_SIZE'));
    const [checkedRank, checkedSize] = checkRankAndSize(r, size, scheme);
    const host = env('MASTER_ADDR');
    const port = integer(env('MASTER_PORT'))!;
    return { store: tcpStore(host, port, checkedRank, checkedSize, timeoutMs), rank: checkedRank, worldSize: checkedSize };
  }
  if (url.protocol === 'tcp:') {
    if (!url.port) throw fail(scheme, 'port number missing');
    const [r, size] = checkRankAndSize(rank ?? query('rank'), worldSize ?? query('world_size'), scheme);
    // IPv6 hosts come bracketed in URLs.
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return { store: tcpStore(host, Number(url.port), r, size, timeoutMs), rank: r, worldSize: size };
  }
  if (url.protocol === 'file:') {
    const [r, size] = checkRankAndSize(rank ?? query('rank'), worldSize ?? query('world_size'), scheme);
    if (!url.pathname) throw fail(scheme, 'path missing');
    return { store: new FileStore(decodeURIComponent(url.pathname), size, { timeout: timeoutMs }), rank: r, worldSize: size };
  }
  throw new Error(`No rendezvous handler for ${scheme}`);
}

/** Rank 0 serves the store and waits for the others, as PyTorch's _create_c10d_store. */
function tcpStore(host: string, port: number, rank: number, worldSize: number, timeoutMs: number): Store {
  return new TCPStore(host, port, worldSize, rank === 0, { timeout: timeoutMs });
}
