// Tests for scripts/find-libtorch.mjs: LIBTORCH, Python discovery, the cache and the
// download (a local HTTP server serving a zip made here), with no network and no real libtorch.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
// @ts-ignore -- plain .mjs script without type declarations
import * as finder from '../scripts/find-libtorch.mjs';
// @ts-ignore -- plain .mjs script without type declarations
import { LIBTORCH_VERSION } from '../scripts/libtorch-version.mjs';

const { findLibtorch, extractZip } = finder as {
  findLibtorch: (o?: Record<string, unknown>) => Promise<{ root: string; source: string; version: string | null; versionFull: string | null }>;
  extractZip: (zip: string, dest: string, o?: Record<string, unknown>) => Promise<void>;
};

const NO_PYTHON = '/nonexistent/python-for-torch-node-tests';
const SCRIPT = path.resolve(__dirname, '../scripts/find-libtorch.mjs');

// ---------------------------------------------------------------- helpers

const tmpDirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-find-'));
  tmpDirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function write(file: string, data: string | Buffer = '') {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
}

/** A fake libtorch folder: the layout findLibtorch checks, empty libraries. */
function fakeLibtorch(dir: string, versionFile: [string, string] = ['build-version', '2.11.0+cpu\n']) {
  fs.mkdirSync(path.join(dir, 'include/torch/csrc/api/include'), { recursive: true });
  write(path.join(dir, 'lib/libtorch_cpu.so'));
  write(path.join(dir, 'lib/libc10.so'));
  write(path.join(dir, versionFile[0]), versionFile[1]);
  return dir;
}

const sink = () => {
  const out = { text: '', isTTY: false, write: (s: string) => ((out.text += s), true) };
  return out;
};

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

type ZipEntry = { name: string; data?: string; mode?: number; deflate?: boolean; link?: string };
/** A tiny zip writer (stored and deflated entries, unix modes, symlinks): no `zip` needed. */
function makeZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const isDir = e.name.endsWith('/');
    const raw = Buffer.from(e.link ?? e.data ?? '');
    const body = e.deflate ? zlib.deflateRawSync(raw) : raw;
    const method = e.deflate ? 8 : 0;
    const type = isDir ? 0o040000 : e.link ? 0o120000 : 0o100000;
    const mode = type | (e.mode ?? (isDir ? 0o755 : e.link ? 0o777 : 0o644));
    const name = Buffer.from(e.name);
    const crc = crc32(raw);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x800, 6);
    lh.writeUInt16LE(method, 8);
    lh.writeUInt16LE(0, 10);
    lh.writeUInt16LE(0x21, 12); // 1980-01-01
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(body.length, 18);
    lh.writeUInt32LE(raw.length, 22);
    lh.writeUInt16LE(name.length, 26);
    lh.writeUInt16LE(0, 28);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE((3 << 8) | 20, 4); // made by unix
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x800, 8);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt16LE(0, 12);
    ch.writeUInt16LE(0x21, 14);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(body.length, 20);
    ch.writeUInt32LE(raw.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(((mode << 16) | (isDir ? 0x10 : 0)) >>> 0, 38);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, body);
    centrals.push(ch, name);
    offset += lh.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const HEADER = '#pragma once\n' + '// a header big enough to be worth deflating\n'.repeat(50);
const ZIP = makeZip([
  { name: 'libtorch/' },
  { name: 'libtorch/build-version', data: '2.11.0+cpu\n' },
  { name: 'libtorch/include/' },
  { name: 'libtorch/include/torch/csrc/api/include/torch/torch.h', data: HEADER, deflate: true },
  { name: 'libtorch/lib/libtorch_cpu.so', data: 'not really a library', deflate: true },
  { name: 'libtorch/lib/libc10.so', data: '' },
  { name: 'libtorch/lib/libc10.so.2', link: 'libc10.so' },
  { name: 'libtorch/bin/protoc', data: '#!/bin/sh\n', mode: 0o755 },
]);
const ZIP_SHA = crypto.createHash('sha256').update(ZIP).digest('hex');

// ---------------------------------------------------------------- local server

let server: http.Server;
let base = '';
let requests = 0;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests++;
    if (req.url === '/libtorch.zip') {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': ZIP.length });
      res.end(ZIP);
    } else if (req.url === '/redirect') {
      res.writeHead(302, { location: '/libtorch.zip' });
      res.end();
    } else if (req.url === '/truncated') {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': ZIP.length });
      res.write(ZIP.subarray(0, ZIP.length >> 1), () => res.socket?.destroy());
    } else {
      res.writeHead(404);
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** env + options for a download test: an empty cache, no Python, the local server. */
function downloadSetup(urlPath: string, sha: string | null = ZIP_SHA) {
  const cache = path.join(tmp(), 'cache');
  const env: Record<string, string> = { TORCH_NODE_CACHE: cache, TORCH_NODE_LIBTORCH_URL: base + urlPath };
  if (sha) env.TORCH_NODE_LIBTORCH_SHA256 = sha;
  return { cache, opts: { env, python: NO_PYTHON, stderr: sink() } };
}

// ---------------------------------------------------------------- tests

describe('findLibtorch', () => {
  it('pins one version', () => {
    expect(LIBTORCH_VERSION).toBe('2.11.0');
  });

  it('(a) uses LIBTORCH when it names a libtorch folder', async () => {
    const root = fakeLibtorch(path.join(tmp(), 'libtorch'));
    const r = await findLibtorch({ env: { LIBTORCH: root }, python: NO_PYTHON, download: false });
    expect(r).toMatchObject({ root, source: 'LIBTORCH', version: '2.11.0', versionFull: '2.11.0+cpu' });
  });

  it('(b) fails clearly, naming LIBTORCH, when LIBTORCH is not a libtorch folder', async () => {
    const bad = tmp();
    fs.mkdirSync(path.join(bad, 'include'));
    await expect(findLibtorch({ env: { LIBTORCH: bad }, python: NO_PYTHON, download: false })).rejects.toThrow(
      /LIBTORCH=.*is not a libtorch folder.*include\/torch\/csrc\/api\/include/s,
    );
    await expect(
      findLibtorch({ env: { LIBTORCH: path.join(bad, 'missing') }, python: NO_PYTHON, download: false }),
    ).rejects.toThrow(/LIBTORCH=.*does not exist/);
  });

  it('(c) downloads (following a redirect), checks the sha256, extracts, then reuses the cache', async () => {
    const { cache, opts } = downloadSetup('/redirect');
    const before = requests;
    const r = await findLibtorch(opts);
    const root = path.join(cache, `libtorch-${LIBTORCH_VERSION}`, 'libtorch');
    expect(r).toMatchObject({ root, source: 'download', version: '2.11.0', versionFull: '2.11.0+cpu' });
    expect(requests - before).toBe(2); // the redirect and the zip
    expect(fs.readFileSync(path.join(root, 'include/torch/csrc/api/include/torch/torch.h'), 'utf8')).toBe(HEADER);
    expect(fs.readdirSync(cache)).toEqual([`libtorch-${LIBTORCH_VERSION}`]); // no temp files left
    expect(opts.stderr.text).toMatch(/100%/);

    const again = await findLibtorch(opts);
    expect(again).toMatchObject({ root, source: 'cache', version: '2.11.0' });
    expect(requests - before).toBe(2); // not downloaded again
  });

  it('(d) a truncated download throws and leaves no cache entry', async () => {
    const { cache, opts } = downloadSetup('/truncated');
    await expect(findLibtorch(opts)).rejects.toThrow(/download of http:\/\/127\.0\.0\.1:\d+\/truncated failed: truncated download/);
    expect(fs.existsSync(path.join(cache, `libtorch-${LIBTORCH_VERSION}`))).toBe(false);
    expect(fs.readdirSync(cache)).toEqual([]);
    // and the next try (to a good URL) is a fresh download, not a cache hit
    const r = await findLibtorch({ ...opts, url: `${base}/libtorch.zip` });
    expect(r.source).toBe('download');
  });

  it('(e) a bad checksum throws and leaves no cache entry', async () => {
    const { cache, opts } = downloadSetup('/libtorch.zip', '0'.repeat(64));
    await expect(findLibtorch(opts)).rejects.toThrow(/sha256 checksum mismatch: expected 0{64}, got [0-9a-f]{64}/);
    expect(fs.readdirSync(cache)).toEqual([]);
  });

  it('an HTTP error names the URL and the status', async () => {
    const { opts } = downloadSetup('/missing.zip');
    await expect(findLibtorch(opts)).rejects.toThrow(/download of http:\/\/127\.0\.0\.1:\d+\/missing\.zip failed: HTTP 404/);
  });

  it('(f) nothing found and download disabled: one message with the three ways', async () => {
    const cache = path.join(tmp(), 'cache');
    for (const opts of [
      { env: { TORCH_NODE_CACHE: cache }, download: false },
      { env: { TORCH_NODE_CACHE: cache, TORCH_NODE_NO_DOWNLOAD: '1' } },
    ]) {
      const err = await findLibtorch({ ...opts, python: NO_PYTHON, stderr: null }).then(
        () => null,
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(Error);
      const msg = err!.message;
      expect(msg).toContain('LIBTORCH=/path/to/libtorch');
      expect(msg).toContain('pip install torch==2.11.0');
      expect(msg).toContain('pip install --no-deps torch==2.11.0');
      expect(msg).toContain('download of the official archive https://download.pytorch.org/libtorch/cpu/');
      expect(msg).toMatch(/download disabled/);
      expect(msg).toContain(`${NO_PYTHON}: not found`);
    }
    expect(fs.existsSync(cache)).toBe(false); // nothing was created
  });

  it.skipIf(process.platform === 'win32')('finds a Python torch package through the interpreter, without importing it', async () => {
    const dir = tmp();
    const pkg = fakeLibtorch(path.join(dir, 'site-packages/torch'), ['version.py', "__version__ = '2.11.0+cu130'\n"]);
    const py = path.join(dir, 'fake-python');
    // prints what importlib.util.find_spec('torch').submodule_search_locations[0] would
    write(py, `#!/bin/sh\ncase "$2" in *find_spec*) echo '${pkg}';; *) exit 3;; esac\n`);
    fs.chmodSync(py, 0o755);
    const env = { TORCH_NODE_CACHE: path.join(dir, 'cache'), PYTHON: py };
    const r = await findLibtorch({ env, download: false, python: [NO_PYTHON, py] });
    expect(r).toMatchObject({ root: pkg, source: 'python', version: '2.11.0', versionFull: '2.11.0+cu130' });
  });

  it('finds a wheel pip-installed with --target into the cache (version from dist-info)', async () => {
    const cache = path.join(tmp(), 'cache');
    const pkg = fakeLibtorch(path.join(cache, 'python/torch'), ['README', '']);
    write(path.join(cache, 'python/torch-2.10.0+cpu.dist-info/METADATA'), 'Metadata-Version: 2.1\nName: torch\nVersion: 2.10.0+cpu\n');
    const r = await findLibtorch({ env: { TORCH_NODE_CACHE: cache }, python: NO_PYTHON, download: false });
    expect(r).toMatchObject({ root: pkg, source: 'python', version: '2.10.0', versionFull: '2.10.0+cpu' });
  });

  it.each([
    ['node', {}],
    ['node', { smallEntryLimit: 0 }], // every entry streamed
    ['unzip', {}],
  ])('extracts with the %s extractor %o (deflate, modes, symlinks)', async (extractor, more) => {
    if (extractor === 'unzip' && !fs.existsSync('/usr/bin/unzip') && !fs.existsSync('/bin/unzip')) return;
    const dir = tmp();
    write(path.join(dir, 'a.zip'), ZIP);
    await extractZip(path.join(dir, 'a.zip'), path.join(dir, 'out'), { extractor, ...more });
    const root = path.join(dir, 'out/libtorch');
    expect(fs.readFileSync(path.join(root, 'include/torch/csrc/api/include/torch/torch.h'), 'utf8')).toBe(HEADER);
    expect(fs.readFileSync(path.join(root, 'lib/libtorch_cpu.so'), 'utf8')).toBe('not really a library');
    expect(fs.statSync(path.join(root, 'lib/libc10.so')).size).toBe(0);
    if (process.platform !== 'win32') {
      expect(fs.readlinkSync(path.join(root, 'lib/libc10.so.2'))).toBe('libc10.so');
      expect(fs.statSync(path.join(root, 'bin/protoc')).mode & 0o111).not.toBe(0);
    }
  });

  it('the built-in extractor rejects a corrupted entry and unsafe paths', async () => {
    const dir = tmp();
    const stored = makeZip([{ name: 'x.txt', data: 'hello' }]);
    stored[30 + 'x.txt'.length] ^= 0xff; // flip a data byte -> CRC mismatch
    write(path.join(dir, 'crc.zip'), stored);
    for (const smallEntryLimit of [1e6, 0]) {
      await expect(
        extractZip(path.join(dir, 'crc.zip'), path.join(dir, `o${smallEntryLimit}`), { extractor: 'node', smallEntryLimit }),
      ).rejects.toThrow(/CRC-32/);
    }
    write(path.join(dir, 'evil.zip'), makeZip([{ name: '../evil.txt', data: 'x' }]));
    await expect(extractZip(path.join(dir, 'evil.zip'), path.join(dir, 'o2'), { extractor: 'node' })).rejects.toThrow(/unsafe path/);
    expect(fs.existsSync(path.join(dir, 'evil.txt'))).toBe(false);
  });

  it('CLI: prints the root and exits 0, or the message on stderr and exits 1', async () => {
    const root = fakeLibtorch(path.join(tmp(), 'libtorch'));
    const run = (env: Record<string, string>) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [SCRIPT], { env: { PATH: process.env.PATH ?? '', ...env } }, (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    const ok = await run({ LIBTORCH: root });
    expect(ok).toMatchObject({ code: 0, stdout: `${root}\n` });
    const bad = await run({ LIBTORCH: path.join(root, 'nope') });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/LIBTORCH=/);
  });
});
