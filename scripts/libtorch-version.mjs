// The ONE place where the pinned libtorch version lives.
//
// Everything else (scripts/find-libtorch.mjs, scripts/install.mjs, CI) imports it
// from here. Bumping libtorch = change LIBTORCH_VERSION (and LIBTORCH_SHA256, if known).

import os from 'node:os';
import path from 'node:path';

/** The libtorch / PyTorch release torch-node is built and tested against. */
export const LIBTORCH_VERSION = '2.11.0';

/** The official CPU libtorch archive (cxx11 ABI, shared libraries + their dependencies). */
export const LIBTORCH_URL =
  `https://download.pytorch.org/libtorch/cpu/libtorch-shared-with-deps-${LIBTORCH_VERSION}%2Bcpu.zip`;

/**
 * Expected sha256 (hex) of LIBTORCH_URL, or null when not known (then only the
 * length of the download is checked). Override with env TORCH_NODE_LIBTORCH_SHA256.
 */
export const LIBTORCH_SHA256 = null;

/**
 * The cache folder: $TORCH_NODE_CACHE, else ~/.cache/torch-node.
 * Layout inside it:
 *   libtorch-<version>/libtorch/   an extracted official archive (include/, lib/, build-version)
 *   python/torch/                  a wheel installed with `pip install --no-deps --target <cache>/python torch==<version>`
 *   torch-<version>/torch/         the same, per version (`--target <cache>/torch-<version>`)
 * @param {Record<string, string | undefined>} [env]
 * @returns {string}
 */
export function defaultCacheDir(env = process.env) {
  if (env.TORCH_NODE_CACHE) return path.resolve(env.TORCH_NODE_CACHE);
  return path.join(os.homedir(), '.cache', 'torch-node');
}

/** defaultCacheDir() for the current process.env, computed when this module is loaded. */
export const DEFAULT_CACHE_DIR = defaultCacheDir();
