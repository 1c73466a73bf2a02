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

/** The CUDA build of the official archive that TORCH_NODE_DEVICE=cuda downloads. */
export const LIBTORCH_CUDA_TAG = 'cu130';

/**
 * Which official archive to download: the CPU one, or with TORCH_NODE_DEVICE=cuda the CUDA
 * one (the same addon runs on both; the CUDA one is ~3 GB). `name` is its cache folder.
 * @returns {{ url: string, name: string }}
 */
export function libtorchArchive(version = LIBTORCH_VERSION, env = process.env) {
  const device = env.TORCH_NODE_DEVICE || 'cpu';
  if (device !== 'cpu' && device !== 'cuda') throw new Error(`TORCH_NODE_DEVICE must be cpu or cuda, got ${device}`);
  const tag = device === 'cuda' ? LIBTORCH_CUDA_TAG : 'cpu';
  const url = LIBTORCH_URL.replaceAll(LIBTORCH_VERSION, version).replaceAll('cpu', tag);
  return { url, name: device === 'cuda' ? `libtorch-${version}+${tag}` : `libtorch-${version}` };
}

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
