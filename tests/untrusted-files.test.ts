// Loading files from strangers: torch.load never runs code from a checkpoint, never reads or
// writes outside the bytes it was given, and a malformed file (truncated, wrong magic, lying
// sizes, huge shapes, nesting bombs) fails fast with an Error and without allocating what it
// claims. The hostile files are built inline (a small stored-zip writer and pickle opcodes);
// inputs the fuzzers found (fuzz/) are kept here too, each named after its finding.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crc32 from 'crc-32';
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '../lib/index';
import { readIdx } from '../lib/utils/data/idx';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-untrusted-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// --- A stored (uncompressed) zip, with optional lies in the central directory. -------------
type Lie = { uncompressed?: number; compressed?: number; method?: number };
function zip(files: Record<string, Uint8Array | string>, lies: Record<string, Lie> = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    const nameBytes = Buffer.from(name);
    const crc = crc32.buf(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const lie = lies[name] ?? {};
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(lie.method ?? 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(lie.compressed ?? data.length, 20);
    central.writeUInt32LE(lie.uncompressed ?? data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

// A torch.save archive around a pickle, with data/<key> records.
const archive = (pkl: Buffer, records: Record<string, Uint8Array> = {}, lies: Record<string, Lie> = {}) =>
  zip({ 'archive/data.pkl': pkl, 'archive/version': '3\n',
    ...Object.fromEntries(Object.entries(records).map(([k, v]) => [`archive/data/${k}`, v])) }, lies);

// --- Pickle opcodes (protocol 2, as torch.save writes). --------------------------------------
const b = (...parts: (string | number[] | Buffer)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const u32 = (n: number) => { const x = Buffer.alloc(4); x.writeUInt32LE(n); return x; };
const i64 = (n: bigint) => { const x = Buffer.alloc(8); x.writeBigInt64LE(n); return x; };
const str = (s: string) => b('X', u32(Buffer.byteLength(s)), s);
const int = (n: bigint) => b([0x8a, 8], i64(n)); // LONG1, 8 bytes: any int64
const tuple = (...items: Buffer[]) => b('(', ...items, 't');
const PROTO = b([0x80, 2]);
const STOP = b('.');
// torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)
const tensorValue = (key: string, numel: bigint, offset: bigint, size: bigint[], stride: bigint[], storage = 'FloatStorage') => b(
  'ctorch._utils\n_rebuild_tensor_v2\n(',
  tuple(str('storage'), b(`ctorch\n${storage}\n`), str(key), str('cpu'), int(numel)), 'Q',
  int(offset), tuple(...size.map(int)), tuple(...stride.map(int)), [0x89], 'ccollections\nOrderedDict\n)R', 't', 'R');
const tensorPickle = (...args: Parameters<typeof tensorValue>) => b(PROTO, tensorValue(...args), STOP);

const floats = (...xs: number[]) => Buffer.from(new Float32Array(xs).buffer);

/** Runs `load` expecting an Error matching `message`, and returns the milliseconds it took. */
function refuses(load: () => unknown, message: RegExp): number {
  const start = performance.now();
  expect(load).toThrow(message);
  return performance.now() - start;
}

describe('torch.load never runs code from a checkpoint', () => {
  it('refuses GLOBAL + REDUCE of os.system, builtins.eval/exec, subprocess (libtorch has no Python to call)', () => {
    const marker = path.join(tmp, 'pwned');
    const calls: [string, string, Buffer][] = [
      ['os', 'system', str(`touch ${marker}`)],
      ['posix', 'system', str(`touch ${marker}`)],
      ['builtins', 'eval', str(`open('${marker}', 'w')`)],
      ['builtins', 'exec', str(`open('${marker}', 'w')`)],
      ['__builtin__', 'eval', str(`open('${marker}', 'w')`)],
      ['subprocess', 'Popen', b('(', str('touch'), str(marker), 'l')],
      ['builtins', 'getattr', b(str('os'), str('system'))],
    ];
    for (const [module, name, args] of calls) {
      const pkl = b(PROTO, `c${module}\n${name}\n`, '(', args, 't', 'R', STOP);
      refuses(() => torch.deserialize(archive(pkl)), new RegExp(`unknown type ${module}\\.${name}`));
    }
    // BUILD / NEWOBJ on a class from the file: no object is built either.
    refuses(() => torch.deserialize(archive(b(PROTO, 'c__main__\nEvil\n)', [0x81], '}b', STOP))), /Evil/);
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe('torch.load reads only the bytes it was given', () => {
  it('a storage key naming another path is only looked up inside the archive', () => {
    for (const key of ['../../../../etc/passwd', '/etc/passwd', '../version']) {
      refuses(() => torch.deserialize(archive(tensorPickle(key, 1n, 0n, [1n], [1n]))), /no record data\//);
    }
  });

  it('zip entries named outside the archive folder are never extracted', () => {
    const escaping = ['archive/../../escaped.txt', 'archive/../../../tmp/torch-node-escaped.txt'];
    const bytes = zip({ 'archive/data.pkl': b(PROTO, ')', STOP), 'archive/version': '3\n', ...Object.fromEntries(escaping.map((n) => [n, 'x'])) });
    expect(torch.deserialize(bytes)).toEqual([]);
    // an entry outside the archive's folder makes libtorch refuse the whole file
    refuses(() => torch.deserialize(zip({ 'archive/data.pkl': b(PROTO, ')', STOP), 'archive/version': '3\n', '/tmp/torch-node-absolute.txt': 'x' })),
      /not in a subdirectory/);
    for (const name of [...escaping, '/tmp/torch-node-absolute.txt']) {
      for (const base of [process.cwd(), tmp, '/']) expect(fs.existsSync(path.resolve(base, name))).toBe(false);
    }
  });

  it('torch.load writes nothing (the directory of the file is unchanged)', () => {
    const file = path.join(tmp, 'model.pt');
    torch.save({ w: torch.ones(2) }, file);
    const before = fs.readdirSync(tmp).sort();
    expect((torch.load(file) as { w: torch.Tensor }).w.tolist()).toEqual([1, 1]);
    expect(fs.readdirSync(tmp).sort()).toEqual(before);
  });
});

describe('malformed checkpoints fail fast, without allocating what they claim', () => {
  const rssBefore = process.memoryUsage().rss;

  it('truncated at every length, wrong magic, empty, not a zip', () => {
    const good = torch.serialize({ w: torch.arange(64).float(), step: 3 });
    for (let n = 0; n < good.length; n += Math.max(1, Math.floor(good.length / 60))) {
      expect(() => torch.deserialize(good.subarray(0, n))).toThrow();
    }
    for (const bytes of [Buffer.alloc(0), Buffer.from('PYTORCH1' + 'x'.repeat(64)), Buffer.from([0x1f, 0x8b, 8, 0]),
      Buffer.from('\x80\x02}q\x00.', 'latin1'), Buffer.alloc(4096, 0x50)]) {
      expect(() => torch.deserialize(bytes)).toThrow();
    }
  });

  it('a zip record claiming a huge size is refused before anything is allocated', () => {
    const pkl = b(PROTO, ')', STOP);
    expect(refuses(() => torch.deserialize(archive(pkl, {}, { 'archive/data.pkl': { uncompressed: 0xffffffff } })),
      /record 'archive\/data.pkl' declares 4294967295 bytes/)).toBeLessThan(500);
    // deflate cannot expand 9 bytes to 4 GB: a lie, not a zip bomb
    refuses(() => torch.deserialize(archive(pkl, {}, { 'archive/data.pkl': { method: 8, uncompressed: 0xfffffff0 } })),
      /declares 4294967280 bytes/);
    refuses(() => torch.deserialize(archive(pkl, {}, { 'archive/version': { compressed: 0x7fffffff } })), /declares/);
  });

  it('tensor sizes, strides and offsets that reach outside the stored bytes', () => {
    const record = { 0: floats(1, 2, 3, 4) };
    const cases: [bigint, bigint[], bigint[]][] = [
      [0n, [1_000_000_000_000_000n], [1n]], // a 1e15-element tensor over 16 bytes
      [0n, [5n], [1n]],
      [0n, [2n, 2n], [1_000_000_000n, 1n]],
      [4n, [1n], [1n]],
    ];
    for (const [offset, size, stride] of cases) {
      refuses(() => torch.deserialize(archive(tensorPickle('0', 4n, offset, size, stride), record)), /reaches outside its 16-byte storage/);
    }
    refuses(() => torch.deserialize(archive(tensorPickle('0', 4n, -1n, [1n], [1n]), record)), /negative|storage offset/);
    refuses(() => torch.deserialize(archive(tensorPickle('0', 4n, 0n, [-2n], [1n]), record)), /negative|overflow/);
    // (a negative stride is made contiguous by libtorch itself: [2] with stride -1 reads [1, 2])
    expect((torch.deserialize(archive(tensorPickle('0', 4n, 0n, [2n], [-1n]), record)) as torch.Tensor).tolist()).toEqual([1, 2]);
    refuses(() => torch.deserialize(archive(tensorPickle('0', 4n, 0n, [1n << 62n, 4n], [4n, 1n]), record)), /overflow|reaches outside/);
    // The pickle's element count is not trusted: the record's 16 bytes are the storage.
    const t = torch.deserialize(archive(tensorPickle('0', 1_000_000_000_000n, 0n, [2n, 2n], [2n, 1n]), record)) as torch.Tensor;
    expect(t.tolist()).toEqual([[1, 2], [3, 4]]);
    // Broadcast-style zero strides and empty tensors stay legal.
    expect((torch.deserialize(archive(tensorPickle('0', 4n, 3n, [3n], [0n]), record)) as torch.Tensor).tolist()).toEqual([4, 4, 4]);
    expect((torch.deserialize(archive(tensorPickle('0', 4n, 0n, [0n, 1_000_000_000n], [1n, 1n]), record)) as torch.Tensor).shape)
      .toEqual([0, 1_000_000_000]);
  });

  it('pickle bombs: memo indices, string lengths, nesting, cycles, type strings', () => {
    // libtorch grows its memo to the index (16 bytes an entry: 4 GB here), and sizes a string
    // by its declared length before reading it (8 GB here)
    refuses(() => torch.deserialize(archive(b(PROTO, 'N', 'r', u32(0x0fffffff), STOP))), /memo index 268435455/);
    refuses(() => torch.deserialize(archive(b(PROTO, [0x8d], i64(1n << 33n), 'xx', STOP))), /truncated/);
    refuses(() => torch.deserialize(archive(b(PROTO, 'X', u32(0xffffffff), 'xx', STOP))), /truncated/);
    const depth = 100_000;
    refuses(() => torch.deserialize(archive(b(PROTO, ']'.repeat(depth), 'a'.repeat(depth - 1), STOP))), /nested more than 1000 deep/);
    refuses(() => torch.deserialize(archive(b(PROTO, ']q', [0], 'h', [0], 'a', STOP))), /inside itself/);
    // A list grown after it was put in another one (how the cycle and depth bombs are built).
    refuses(() => torch.deserialize(archive(b(PROTO, ']q', [0], ']q', [1], 'a', 'h', [1], 'K', [1], 'a', STOP))), /after nesting it/);
    // libtorch's type parser recurses per bracket: 10,000 levels overflow its stack
    const deepType = 'List['.repeat(10_000) + 'int' + ']'.repeat(10_000);
    refuses(() => torch.deserialize(archive(b(PROTO, 'ctorch.jit._pickle\nrestore_type_tag\n', ']', str(deepType), [0x86], 'R', STOP))),
      /type tag/);
    refuses(() => torch.deserialize(archive(b(PROTO, '(K', [1], 'K', [2], 'K', [3], 'd', STOP))), /iterated by two/);
    // 1000 levels is fine (what the limit allows, converted to nested arrays)
    let v = torch.deserialize(archive(b(PROTO, ']'.repeat(999), 'a'.repeat(998), STOP))) as unknown[];
    let levels = 1;
    while (Array.isArray(v[0])) v = v[0] as unknown[], levels++;
    expect(levels).toBe(999);
  });

  it('a dict key "__proto__" is an own key, never the loaded object\'s prototype', () => {
    const pkl = b(PROTO, '}', '(', str('__proto__'), '}', str('constructor'), 'K', [2], 'u', STOP);
    const value = torch.deserialize(archive(pkl)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({});
  });

  it('sparse and quantized tensors (unchecked by libtorch\'s unpickler) are refused', () => {
    // a COO tensor of size [4] whose one index is 1,000,000: densifying it would write far outside
    const sparse = b(PROTO, 'ctorch._utils\n_rebuild_sparse_tensor\n(', 'K', [1], tuple(int(4n)), [0x89],
      tensorValue('0', 1n, 0n, [1n, 1n], [1n, 1n], 'LongStorage'), tensorValue('1', 1n, 0n, [1n], [1n]), 't', 'R', STOP);
    refuses(() => torch.deserialize(archive(sparse, { 0: i64(1_000_000n), 1: floats(1) })), /torch.load: sparse tensors are not supported/);
  });

  it('memory stays flat after all of the above and the process still computes', () => {
    const grown = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    expect(grown).toBeLessThan(200);
    expect(torch.ones(2).sum().item()).toBe(2);
  });
});

describe('malformed safetensors fail cleanly', () => {
  const st = (header: unknown, data = Buffer.alloc(0), declaredLength?: bigint) => {
    const json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header));
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(declaredLength ?? BigInt(json.length));
    return Buffer.concat([length, json, data]);
  };
  const load = (bytes: Buffer) => () => torch.safetensors.loadSafetensors(bytes);

  it('a header claiming a 1e15-element tensor is refused without allocating it', () => {
    const rss = process.memoryUsage().rss;
    const ms = refuses(load(st({ w: { dtype: 'F32', shape: [1e15], data_offsets: [0, 4e15] } }, floats(1))), /safetensors: tensor 'w' has data offsets/);
    expect(ms).toBeLessThan(100);
    expect(process.memoryUsage().rss - rss).toBeLessThan(50 * 2 ** 20);
  });

  it('lying lengths, offsets, shapes and dtypes', () => {
    refuses(load(st({}, Buffer.alloc(0), 1n << 63n)), /header length/);
    refuses(load(st({}, Buffer.alloc(0), 1000n)), /header length 1000 exceeds the file/);
    refuses(load(Buffer.alloc(5)), /shorter than its 8-byte header/);
    refuses(load(st('{"w": ')), /not valid JSON/);
    for (const header of ['null', '[]', '7', '"text"', '[{"dtype":"F32","shape":[1],"data_offsets":[0,4]}]']) {
      refuses(load(st(header, floats(1))), /safetensors: the header is not a JSON object/);
    }
    for (const dtype of ['__proto__', 'constructor', 'toString', 'F128', null]) {
      refuses(load(st({ w: { dtype, shape: [1], data_offsets: [0, 4] } }, floats(1))), /unsupported dtype/);
    }
    for (const shape of [[-1], [1.5], ['1'], [2 ** 53], null, 'x']) {
      refuses(load(st({ w: { dtype: 'F32', shape, data_offsets: [0, 4] } }, floats(1))), /invalid shape/);
    }
    for (const offsets of [[4, 0], [0, 8], [-4, 0], [0, 4.5], [0], null, [0, 2 ** 60]]) {
      refuses(load(st({ w: { dtype: 'F32', shape: [1], data_offsets: offsets } }, floats(1))), /data offsets/);
    }
    refuses(load(st({ w: null }, floats(1))), /unsupported dtype/);
  });

  it('fuzzer findings: data_offsets that are not an array (was a TypeError "is not iterable")', () => {
    for (const name of ['safetensors-offsets-false', 'safetensors-offsets-number']) {
      const bytes = fs.readFileSync(path.join(__dirname, 'fixtures', 'untrusted', `${name}.safetensors`));
      refuses(load(bytes), /^safetensors: tensor 't\d' has data offsets/);
    }
    for (const offsets of [{}, 'ab', true, { 0: 0, 1: 4 }]) {
      refuses(load(st({ w: { dtype: 'F32', shape: [1], data_offsets: offsets } }, floats(1))), /data offsets/);
    }
  });

  it('BOOL bytes other than 0 and 1 load as true, as a real bool tensor', () => {
    const t = torch.safetensors.loadSafetensors(st({ m: { dtype: 'BOOL', shape: [3], data_offsets: [0, 3] } }, Buffer.from([0, 1, 2])));
    expect(t.m.tolist()).toEqual([false, true, true]);
    expect(t.m.sum().item()).toBe(2);
  });
});

describe('malformed IDX files fail cleanly', () => {
  it('dimensions claiming more than the file holds are refused before any allocation', () => {
    const header = Buffer.from([0, 0, 0x0d, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 2]);
    expect(refuses(() => readIdx(Buffer.concat([header, Buffer.alloc(8)])), /readIdx\(\): truncated data/)).toBeLessThan(100);
    expect(() => readIdx(Buffer.from([0, 0, 8, 255, 0, 0]))).toThrow(/truncated header/);
    expect(() => readIdx(Buffer.from([0, 0, 0x42, 1, 0, 0, 0, 1, 7]))).toThrow(/unknown IDX type code 0x42/);
  });

  it('fuzzer findings: an empty IDX (a zero dimension) whose other dimensions overflow int64 throws', () => {
    // 19 dimensions, among them 0 and 0xffffffff: no data bytes expected, and a shape no tensor can have.
    for (const name of ['idx-zero-dim-stride-overflow', 'idx-zero-dim-numel-overflow']) {
      const bytes = fs.readFileSync(path.join(__dirname, 'fixtures', 'untrusted', `${name}.idx`));
      expect(refuses(() => readIdx(bytes), /readIdx\(\): shape \[.*\] is too large/)).toBeLessThan(100);
    }
  });
});
