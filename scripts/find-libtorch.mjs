// Finds (or downloads) libtorch for building torch-node.
//
//   import { findLibtorch } from './find-libtorch.mjs';
//   const { root, source, version } = await findLibtorch();
//
// `root` is a folder with include/ (include/torch/csrc/api/include) and lib/
// (libtorch_cpu, libc10); CMake gets it as -DLIBTORCH=<root>.
//
// Discovery order (the first hit wins):
//   a. env LIBTORCH: a libtorch folder (an error if it is set but is not one)     source 'LIBTORCH'
//   b. a Python torch package, found without importing torch:                      source 'python'
//        - a wheel pip-installed into the cache:
//            pip install --no-deps --target <cache>/torch-<version> torch==<version>   (-> <cache>/torch-<version>/torch)
//            pip install --no-deps --target <cache>/python torch==<version>            (-> <cache>/python/torch)
//        - the torch package seen by $PYTHON, python3 or python (importlib.util.find_spec)
//   c. an archive extracted earlier into the cache: <cache>/libtorch-<version>/libtorch   source 'cache'
//   d. the official archive (env TORCH_NODE_LIBTORCH_URL overrides the URL and
//      TORCH_NODE_LIBTORCH_SHA256 the checksum), downloaded to a temp file, checked
//      (length, sha256 when known), extracted to a temp folder, then renamed to
//      <cache>/libtorch-<version>; disabled by TORCH_NODE_NO_DOWNLOAD=1 or {download: false}.  source 'download'
//      TORCH_NODE_DEVICE=cuda picks the CUDA archive instead (cached as libtorch-<version>+cu130).
// <cache> is $TORCH_NODE_CACHE, else ~/.cache/torch-node.
//
// CLI: `node scripts/find-libtorch.mjs [--json] [--no-download]` prints the root
// (or the whole result with --json) on stdout and exits 0, or prints why not on stderr and exits 1.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import { execFile, spawn } from 'node:child_process';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { LIBTORCH_VERSION, LIBTORCH_URL, LIBTORCH_SHA256, defaultCacheDir, libtorchArchive } from './libtorch-version.mjs';

export { LIBTORCH_VERSION, LIBTORCH_URL, LIBTORCH_SHA256, defaultCacheDir };

const LIB_NAMES = {
  torch_cpu: ['libtorch_cpu.so', 'libtorch_cpu.dylib', 'torch_cpu.lib', 'torch_cpu.dll'],
  c10: ['libc10.so', 'libc10.dylib', 'c10.lib', 'c10.dll'],
};

/**
 * Why `dir` is not a usable libtorch folder, or null when it is one.
 * @param {string} dir
 * @returns {string | null}
 */
export function checkLibtorchDir(dir) {
  let st;
  try {
    st = fs.statSync(dir);
  } catch {
    return `${dir} does not exist`;
  }
  if (!st.isDirectory()) return `${dir} is not a folder`;
  const api = path.join(dir, 'include', 'torch', 'csrc', 'api', 'include');
  if (!isDir(api)) return `${dir} has no include/torch/csrc/api/include`;
  for (const [lib, names] of Object.entries(LIB_NAMES)) {
    if (!names.some((n) => fs.existsSync(path.join(dir, 'lib', n)))) {
      return `${dir} has no lib/${names[0]} (nor ${names.slice(1).join(', ')})`;
    }
  }
  return null;
}

/** @param {string} dir */
export function isLibtorchDir(dir) {
  return checkLibtorchDir(dir) === null;
}

function isDir(p) {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function readText(p) {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The version of a libtorch folder: `build-version` (archives), `version.py`
 * (a Python torch package) or the `torch-*.dist-info` folder next to it.
 * @param {string} root
 * @returns {{ version: string, versionFull: string } | null}  e.g. {version: '2.11.0', versionFull: '2.11.0+cu130'}
 */
export function readLibtorchVersion(root) {
  let full = null;
  const bv = readText(path.join(root, 'build-version'));
  if (bv && bv.trim()) full = bv.trim().split(/\s+/)[0];
  if (!full) {
    const vp = readText(path.join(root, 'version.py'));
    const m = vp && /^__version__\s*=\s*['"]([^'"]+)['"]/m.exec(vp);
    if (m) full = m[1];
  }
  if (!full) {
    const parent = path.dirname(root);
    let names = [];
    try {
      names = fs.readdirSync(parent).filter((n) => /^torch-\d[^/\\]*\.dist-info$/.test(n)).sort();
    } catch {}
    for (const n of names) {
      const meta = readText(path.join(parent, n, 'METADATA'));
      const m = meta && /^Version:\s*(\S+)/m.exec(meta);
      full = m ? m[1] : n.slice('torch-'.length, -'.dist-info'.length);
      if (full) break;
    }
  }
  if (!full) return null;
  return { version: full.split('+')[0], versionFull: full };
}

function result(root, source) {
  const v = readLibtorchVersion(root);
  return { root, source, version: v ? v.version : null, versionFull: v ? v.versionFull : null };
}

// ---------------------------------------------------------------- Python

const PY_FIND_TORCH =
  "import importlib.util as u; s = u.find_spec('torch'); " +
  "print(list(s.submodule_search_locations)[0] if s and s.submodule_search_locations else '')";

function pythonCandidates(option, env) {
  if (option === false) return [];
  const list = option === undefined ? [env.PYTHON, 'python3', 'python'] : [option].flat();
  return [...new Set(list.filter(Boolean))];
}

/** The torch package folder seen by one Python interpreter, without importing torch. */
function pythonTorchDir(python, env, timeoutMs) {
  return new Promise((resolve) => {
    execFile(
      python,
      ['-c', PY_FIND_TORCH],
      { env, timeout: timeoutMs, windowsHide: true, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) {
          const why = err.code === 'ENOENT' ? 'not found' : (String(stderr).trim().split('\n').pop() || err.message);
          resolve({ dir: null, why: `${python}: ${why}` });
          return;
        }
        const dir = String(stdout).trim().split(/\r?\n/).pop() || '';
        resolve(dir ? { dir, why: null } : { dir: null, why: `${python}: no torch package installed` });
      },
    );
  });
}

// ---------------------------------------------------------------- download

function truthy(v) {
  return v !== undefined && v !== '' && !/^(0|false|no|off)$/i.test(String(v));
}

function mb(n) {
  return `${(n / 1048576).toFixed(1)} MB`;
}

function makeProgress(out, label, total) {
  if (!out) return { update() {}, done() {} };
  const tty = !!out.isTTY;
  let lastPct = -1;
  let lastTime = 0;
  let lastBytes = 0;
  const line = (received) =>
    total ? `${label}: ${Math.floor((received / total) * 100)}% (${mb(received)} / ${mb(total)})` : `${label}: ${mb(received)}`;
  return {
    update(received) {
      const now = Date.now();
      if (tty) {
        if (now - lastTime < 250) return;
        lastTime = now;
        out.write(`\r${line(received)}`);
      } else if (total) {
        const pct = Math.floor((received / total) * 100);
        if (pct >= lastPct + 10 || (lastPct < 0 && pct >= 0)) {
          lastPct = pct - (pct % 10);
          if (pct < 100) out.write(`${line(received)}\n`);
        }
      } else if (received - lastBytes >= 25 * 1048576) {
        lastBytes = received;
        out.write(`${line(received)}\n`);
      }
    },
    done(received) {
      out.write(`${tty ? '\r' : ''}${line(received)}\n`);
    },
  };
}

function request(url, timeoutMs, redirectsLeft = 10) {
  return new Promise((resolve, reject) => {
    let u;
    try {
      u = new URL(url);
    } catch {
      reject(new Error(`invalid URL ${url}`));
      return;
    }
    const mod = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : null;
    if (!mod) {
      reject(new Error(`unsupported URL protocol ${u.protocol} (use http: or https:)`));
      return;
    }
    const req = mod.get(u, { headers: { 'user-agent': 'torch-node', 'accept-encoding': 'identity' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirectsLeft <= 0) {
          reject(new Error('too many redirects'));
          return;
        }
        resolve(request(new URL(res.headers.location, u).href, timeoutMs, redirectsLeft - 1));
        return;
      }
      if (status !== 200) {
        res.resume();
        reject(new Error(`HTTP ${status} ${res.statusMessage ?? ''}`.trim()));
        return;
      }
      resolve(res);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no data for ${Math.round(timeoutMs / 1000)} s`)));
    req.on('error', reject);
  });
}

/**
 * Downloads `url` to `dest` (which must not exist), checking the length
 * (Content-Length) and the sha256 (when `sha256` is given). On any failure
 * `dest` is removed and the error says why.
 */
export async function downloadFile(url, dest, { sha256 = null, stderr = process.stderr, label = 'downloading', timeoutMs = 60000 } = {}) {
  try {
    const res = await request(url, timeoutMs);
    const total = res.headers['content-length'] !== undefined ? Number(res.headers['content-length']) : null;
    const hash = crypto.createHash('sha256');
    const progress = makeProgress(stderr, label, total);
    let received = 0;
    const counter = new Transform({
      transform(chunk, _enc, cb) {
        received += chunk.length;
        hash.update(chunk);
        progress.update(received);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(res, counter, fs.createWriteStream(dest, { flags: 'wx' }));
    } catch (e) {
      if (total !== null && received < total) throw new Error(`truncated download: received ${received} of ${total} bytes (${e.message})`);
      throw e;
    }
    if (total !== null && received !== total) throw new Error(`truncated download: received ${received} of ${total} bytes`);
    progress.done(received);
    const got = hash.digest('hex');
    if (sha256 && got.toLowerCase() !== String(sha256).trim().toLowerCase()) {
      throw new Error(`sha256 checksum mismatch: expected ${String(sha256).trim().toLowerCase()}, got ${got}`);
    }
    return { bytes: received, sha256: got };
  } catch (e) {
    await fsp.rm(dest, { force: true }).catch(() => {});
    throw e;
  }
}

// ---------------------------------------------------------------- zip extraction

let CRC_TABLE = null;
function crc32(buf, crc = 0) {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(buf, crc);
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let c = ~crc >>> 0;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

async function readAt(fh, length, position) {
  const buf = Buffer.alloc(length);
  let off = 0;
  while (off < length) {
    const { bytesRead } = await fh.read(buf, off, length - off, position + off);
    if (bytesRead === 0) throw new Error('unexpected end of zip file');
    off += bytesRead;
  }
  return buf;
}

function readZipEntries(cd, count) {
  const entries = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const madeBy = cd.readUInt16LE(p + 4);
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const crc = cd.readUInt32LE(p + 16);
    let compSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    const attr = cd.readUInt32LE(p + 38);
    let offset = cd.readUInt32LE(p + 42);
    const name = cd.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = cd.readUInt16LE(e);
      const len = cd.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) (size = Number(cd.readBigUInt64LE(q))), (q += 8);
        if (compSize === 0xffffffff) (compSize = Number(cd.readBigUInt64LE(q))), (q += 8);
        if (offset === 0xffffffff) offset = Number(cd.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    const unixMode = madeBy >> 8 === 3 ? attr >>> 16 : 0;
    entries.push({ name, flags, method, crc, compSize, size, offset, unixMode });
    p = eEnd + commentLen;
  }
  return entries;
}

function safeTarget(destDir, name) {
  const rel = name.replace(/\\/g, '/');
  const parts = rel.split('/').filter((s) => s && s !== '.');
  if (rel.startsWith('/') || /^[a-zA-Z]:/.test(rel) || parts.includes('..')) throw new Error(`unsafe path in zip: ${name}`);
  return path.join(destDir, ...parts);
}

/**
 * Extracts a .zip with Node alone (stored and deflated entries, Zip64, unix
 * modes and symlinks), checking every entry's CRC-32 and size. Entries up to
 * smallEntryLimit compressed bytes are inflated in memory, larger ones streamed.
 * @param {string} zipPath
 * @param {string} destDir
 */
export async function extractZipNode(zipPath, destDir, { smallEntryLimit = 4 * 1048576 } = {}) {
  const fh = await fsp.open(zipPath, 'r');
  try {
    const { size: fileSize } = await fh.stat();
    const tailLen = Math.min(fileSize, 22 + 0xffff);
    const tailPos = fileSize - tailLen;
    const tail = await readAt(fh, tailLen, tailPos);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error('not a zip file (no end of central directory record)');
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const locPos = tailPos + eocd - 20;
      const loc = locPos >= 0 ? await readAt(fh, 20, locPos) : null;
      if (!loc || loc.readUInt32LE(0) !== 0x07064b50) throw new Error('corrupt zip (missing Zip64 locator)');
      const z = await readAt(fh, 56, Number(loc.readBigUInt64LE(8)));
      if (z.readUInt32LE(0) !== 0x06064b50) throw new Error('corrupt zip (bad Zip64 end record)');
      count = Number(z.readBigUInt64LE(32));
      cdSize = Number(z.readBigUInt64LE(40));
      cdOffset = Number(z.readBigUInt64LE(48));
    }
    const entries = readZipEntries(await readAt(fh, cdSize, cdOffset), count);

    await fsp.mkdir(destDir, { recursive: true });
    const files = [];
    const links = [];
    for (const ent of entries) {
      const target = safeTarget(destDir, ent.name);
      const type = ent.unixMode & 0o170000;
      if (ent.name.endsWith('/') || type === 0o040000) {
        await fsp.mkdir(target, { recursive: true });
      } else {
        if (ent.flags & 1) throw new Error(`encrypted zip entry: ${ent.name}`);
        if (ent.method !== 0 && ent.method !== 8) throw new Error(`unsupported zip compression method ${ent.method}: ${ent.name}`);
        (type === 0o120000 ? links : files).push({ ...ent, target });
      }
    }

    const dataStart = async (ent) => {
      const lh = await readAt(fh, 30, ent.offset);
      if (lh.readUInt32LE(0) !== 0x04034b50) throw new Error(`corrupt zip local header: ${ent.name}`);
      return ent.offset + 30 + lh.readUInt16LE(26) + lh.readUInt16LE(28);
    };
    const verify = (ent, n, crc) => {
      if (n !== ent.size) return new Error(`zip entry ${ent.name}: ${n} bytes, expected ${ent.size}`);
      if (crc >>> 0 !== ent.crc >>> 0) return new Error(`zip entry ${ent.name}: CRC-32 mismatch`);
      return null;
    };
    // small entries: one read, inflated in memory
    const entryBuffer = async (ent) => {
      const raw = await readAt(fh, ent.compSize, await dataStart(ent));
      const data = ent.method === 8 ? zlib.inflateRawSync(raw) : raw;
      const err = verify(ent, data.length, crc32(data));
      if (err) throw err;
      return data;
    };
    // large entries: streamed
    const entryStream = async (ent) => {
      const start = await dataStart(ent);
      let crc = 0;
      let n = 0;
      const check = new Transform({
        transform(chunk, _enc, cb) {
          crc = crc32(chunk, crc);
          n += chunk.length;
          cb(null, chunk);
        },
        flush(cb) {
          cb(verify(ent, n, crc));
        },
      });
      const raw = fh.createReadStream({ start, end: start + ent.compSize - 1, autoClose: false });
      return ent.method === 8 ? [raw, zlib.createInflateRaw(), check] : [raw, check];
    };

    const made = new Set();
    const writeFile = async (ent) => {
      const parent = path.dirname(ent.target);
      if (!made.has(parent)) {
        await fsp.mkdir(parent, { recursive: true });
        made.add(parent);
      }
      const mode = ent.unixMode & 0o777 || 0o644;
      if (ent.compSize <= smallEntryLimit && ent.size <= 16 * smallEntryLimit) {
        await fsp.writeFile(ent.target, await entryBuffer(ent), { mode });
      } else {
        await pipeline(...(await entryStream(ent)), fs.createWriteStream(ent.target, { mode }));
      }
      if (ent.unixMode & 0o777) await fsp.chmod(ent.target, mode);
    };
    let next = 0;
    const worker = async () => {
      while (next < files.length) await writeFile(files[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(16, files.length) }, worker));

    for (const ent of links) {
      if (ent.compSize > 65536) throw new Error(`zip entry ${ent.name}: symlink target too long`);
      const linkTarget = (await entryBuffer(ent)).toString('utf8');
      const resolved = path.resolve(path.dirname(ent.target), linkTarget);
      if (path.isAbsolute(linkTarget) || !(resolved + path.sep).startsWith(path.resolve(destDir) + path.sep)) {
        throw new Error(`unsafe symlink in zip: ${ent.name} -> ${linkTarget}`);
      }
      await fsp.mkdir(path.dirname(ent.target), { recursive: true });
      try {
        await fsp.symlink(linkTarget, ent.target);
      } catch {
        await fsp.cp(resolved, ent.target, { recursive: true }); // e.g. Windows without symlink rights
      }
    }
  } finally {
    await fh.close();
  }
}

function extractZipUnzip(zipPath, destDir) {
  return new Promise((resolve, reject) => {
    const child = spawn('unzip', ['-q', '-o', zipPath, '-d', destDir], { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
    let err = '';
    child.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
    child.on('error', reject);
    // unzip: 0 = ok, 1 = warnings only (extraction completed)
    child.on('close', (code) => (code === 0 || code === 1 ? resolve() : reject(new Error(`unzip exited with ${code}: ${err.trim()}`))));
  });
}

/**
 * Extracts `zipPath` into `destDir`. extractor 'auto' (default) uses the system
 * `unzip` when there is one and falls back to the built-in extractor; 'unzip'
 * and 'node' force one.
 */
export async function extractZip(zipPath, destDir, { extractor = 'auto', stderr = null, ...nodeOptions } = {}) {
  await fsp.mkdir(destDir, { recursive: true });
  if (extractor === 'node') return extractZipNode(zipPath, destDir, nodeOptions);
  try {
    await extractZipUnzip(zipPath, destDir);
  } catch (e) {
    if (extractor === 'unzip') throw e;
    if (e.code !== 'ENOENT') stderr?.write(`torch-node: unzip failed (${e.message}); using the built-in extractor\n`);
    await fsp.rm(destDir, { recursive: true, force: true });
    await fsp.mkdir(destDir, { recursive: true });
    await extractZipNode(zipPath, destDir, nodeOptions);
  }
}

// ---------------------------------------------------------------- findLibtorch

function tmpName(dir, base) {
  return path.join(dir, `.${base}.${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
}

async function downloadLibtorch({ url, sha256, cacheDir, name, version, stderr, extractor, timeoutMs }) {
  const entry = path.join(cacheDir, name);
  await fsp.mkdir(cacheDir, { recursive: true });
  const zipTmp = tmpName(cacheDir, `${name}.zip.part`);
  const dirTmp = tmpName(cacheDir, `${name}.extracting`);
  try {
    stderr?.write(`torch-node: downloading libtorch ${version} from ${url}\n`);
    await downloadFile(url, zipTmp, { sha256, stderr, timeoutMs, label: `torch-node: libtorch ${version}` });
    stderr?.write(`torch-node: extracting into ${entry}\n`);
    await extractZip(zipTmp, dirTmp, { extractor, stderr });
    const bad = checkLibtorchDir(path.join(dirTmp, 'libtorch'));
    if (bad) throw new Error(`the archive has no valid libtorch/ folder: ${bad.replace(dirTmp + path.sep, '')}`);
    await fsp.rm(entry, { recursive: true, force: true }); // an invalid leftover (a valid one was used in step c)
    try {
      await fsp.rename(dirTmp, entry);
    } catch (e) {
      if (!isLibtorchDir(path.join(entry, 'libtorch'))) throw e; // else another process finished first
    }
    return path.join(entry, 'libtorch');
  } finally {
    await fsp.rm(zipTmp, { force: true }).catch(() => {});
    await fsp.rm(dirTmp, { recursive: true, force: true }).catch(() => {});
  }
}

/**
 * Finds libtorch (see the top of this file for the order), downloading the
 * official archive into the cache as the last resort.
 *
 * @param {object} [options]
 * @param {Record<string, string | undefined>} [options.env]  environment to read (default process.env)
 * @param {string} [options.cacheDir]   default $TORCH_NODE_CACHE or ~/.cache/torch-node
 * @param {string | string[] | false} [options.python]  Python interpreter(s) to ask; false skips them
 *        (default: $PYTHON, python3, python)
 * @param {boolean} [options.download]  false disables step d (so does env TORCH_NODE_NO_DOWNLOAD=1)
 * @param {string} [options.url]        archive URL (default $TORCH_NODE_LIBTORCH_URL or LIBTORCH_URL)
 * @param {string | null} [options.sha256]  expected sha256 (default $TORCH_NODE_LIBTORCH_SHA256, or LIBTORCH_SHA256 for the official URL)
 * @param {string} [options.version]    libtorch version for the cache/download (default LIBTORCH_VERSION)
 * @param {'auto' | 'unzip' | 'node'} [options.extractor]  how to extract the archive (default 'auto')
 * @param {{ write(s: string): unknown, isTTY?: boolean } | null} [options.stderr]  progress output (default process.stderr; null = quiet)
 * @param {number} [options.timeoutMs]  network idle timeout (default 60000)
 * @returns {Promise<{ root: string, source: 'LIBTORCH' | 'python' | 'cache' | 'download', version: string | null, versionFull: string | null }>}
 */
export async function findLibtorch(options = {}) {
  const env = options.env ?? process.env;
  const version = options.version ?? LIBTORCH_VERSION;
  const cacheDir = path.resolve(options.cacheDir ?? defaultCacheDir(env));
  const stderr = options.stderr === undefined ? process.stderr : options.stderr;
  const tried = [];

  // a. LIBTORCH
  if (env.LIBTORCH) {
    const root = path.resolve(env.LIBTORCH);
    const bad = checkLibtorchDir(root);
    if (bad) {
      throw new Error(
        `LIBTORCH=${env.LIBTORCH} is not a libtorch folder: ${bad}.\n` +
          `LIBTORCH must name a folder with include/torch/csrc/api/include and lib/ (libtorch_cpu, libc10): ` +
          `an extracted libtorch archive, or the torch/ folder of a Python torch install. Unset it to search elsewhere.`,
      );
    }
    return result(root, 'LIBTORCH');
  }

  // b. Python torch: a wheel pip-installed into the cache, then the interpreters
  for (const dir of [path.join(cacheDir, `torch-${version}`, 'torch'), path.join(cacheDir, 'python', 'torch')]) {
    if (isLibtorchDir(dir)) return result(dir, 'python');
  }
  for (const py of pythonCandidates(options.python, env)) {
    const { dir, why } = await pythonTorchDir(py, env, options.pythonTimeoutMs ?? 20000);
    if (!dir) {
      tried.push(why);
      continue;
    }
    const bad = checkLibtorchDir(dir);
    if (!bad) return result(path.resolve(dir), 'python');
    tried.push(`${py}: torch at ${dir} is not usable for building (${bad})`);
  }

  // c. the cache
  const archive = libtorchArchive(version, env);
  const cached = path.join(cacheDir, archive.name, 'libtorch');
  if (isLibtorchDir(cached)) return result(cached, 'cache');
  tried.push(`no extracted archive in ${cached}`);

  // d. download
  const url = options.url ?? (env.TORCH_NODE_LIBTORCH_URL || archive.url);
  const sha256 =
    options.sha256 !== undefined
      ? options.sha256
      : env.TORCH_NODE_LIBTORCH_SHA256 || (url === LIBTORCH_URL ? LIBTORCH_SHA256 : null);
  if (options.download === false || truthy(env.TORCH_NODE_NO_DOWNLOAD)) {
    tried.push(`download disabled (${options.download === false ? 'download: false' : `TORCH_NODE_NO_DOWNLOAD=${env.TORCH_NODE_NO_DOWNLOAD}`})`);
  } else {
    try {
      const root = await downloadLibtorch({
        url,
        sha256,
        cacheDir,
        name: archive.name,
        version,
        stderr,
        extractor: options.extractor ?? 'auto',
        timeoutMs: options.timeoutMs ?? 60000,
      });
      return result(root, 'download');
    } catch (e) {
      tried.push(`download of ${url} failed: ${e.message}`);
    }
  }

  throw new Error(
    `torch-node: could not find libtorch ${version} (a folder with include/ and lib/ holding libtorch_cpu and libc10).\n` +
      `Get one in any of these three ways, then build again:\n` +
      `  1. set LIBTORCH=/path/to/libtorch (an extracted libtorch archive, or the torch/ folder of a Python torch install);\n` +
      `  2. pip install torch==${version}  (pip install --no-deps torch==${version} is enough for building; ` +
      `$PYTHON, python3 or python must see it), or\n` +
      `     pip install --no-deps --target ${path.join(cacheDir, 'python')} torch==${version};\n` +
      `  3. allow the download of the official archive ${url} ` +
      `(unset TORCH_NODE_NO_DOWNLOAD; TORCH_NODE_LIBTORCH_URL sets a mirror).\n` +
      `What was tried:\n` +
      tried.map((t) => `  - ${t}`).join('\n'),
  );
}

// ---------------------------------------------------------------- CLI

function isMain() {
  if (!process.argv[1]) return false;
  try {
    return fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const args = process.argv.slice(2);
  findLibtorch(args.includes('--no-download') ? { download: false } : {}).then(
    (r) => process.stdout.write(args.includes('--json') ? `${JSON.stringify(r)}\n` : `${r.root}\n`),
    (e) => {
      process.stderr.write(`${e.message}\n`);
      process.exitCode = 1;
    },
  );
}
