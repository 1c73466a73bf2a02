// Bad input to files: torch.save/load/serialize/deserialize, torch.safetensors and torch.jit.
// Each row must throw a JS Error whose message names what was wrong. Then atomic saves: a save
// that fails midway, or a process killed while saving, never destroys the previous checkpoint
// and leaves no temporary file behind.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as torch from '../lib/index';
import { type Row, disposed, itThrowsForEachRow, itStillComputes, uncovered } from './bad-input-helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-bad-io-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const file = (name: string) => path.join(tmp, name);
const fixture = (name: string) => path.join(__dirname, 'fixtures', name);
const scripted = () => torch.jit.load(fixture('scripted.pt'));
const dead = /Tensor has been disposed/;

/** safetensors bytes with this JSON header and `dataBytes` zero bytes of data. */
function safetensorsBytes(header: object, dataBytes: number): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, json, Buffer.alloc(dataBytes)]);
}

const saveLoad: Row[] = [
  ['torch.save(into a missing folder)', () => torch.save(torch.ones(2), file('missing/x.pt')), /ENOENT: no such file or directory/],
  ['torch.save(value, 5)', () => torch.save(torch.ones(2), 5 as never), /torch.save\(value, file\): expected a string, got 5/],
  ['torch.save(undefined)', () => torch.save(undefined as never, file('u.pt')), /torch.save: expected a value to save .*got undefined/],
  ['torch.save(a cycle)', () => { const o: Record<string, unknown> = {}; o.o = o; torch.save(o as never, file('c.pt')); }, /torch.save: the object contains a cycle/],
  ['torch.save(disposed)', () => torch.save(disposed(), file('d.pt')), dead],
  ['torch.save(a function)', () => torch.save((() => 1) as never, file('f.pt')), /cannot convert a function: expected tensors, numbers/],
  ['torch.save(a TypedArray)', () => torch.save(new Float32Array(2) as never, file('t.pt')), /cannot pass a Float32Array to libtorch/],
  ['torch.load(missing file)', () => torch.load(file('nothing.pt')), /ENOENT: no such file or directory/],
  ['torch.load(5)', () => torch.load(5 as never), /torch.load\(file\): expected a string, got 5/],
  ['torch.load(a folder)', () => torch.load(tmp), /EISDIR: illegal operation on a directory/],
  ['torch.serialize(disposed)', () => torch.serialize({ a: [disposed()] }), dead],
  ['torch.serialize(undefined)', () => torch.serialize(undefined as never), /expected a value to save/],
  ['torch.deserialize(garbage)', () => torch.deserialize(Buffer.from('garbage')), /PytorchStreamReader failed reading zip archive: not a ZIP archive/],
  ['torch.deserialize(no bytes)', () => torch.deserialize(Buffer.alloc(0)), /not a ZIP archive/],
  ['torch.deserialize(truncated)', () => torch.deserialize(torch.serialize(torch.ones(2)).subarray(0, 50)), /failed finding central directory/],
  ['torch.deserialize(5)', () => torch.deserialize(5 as never), /torch.load: expected the file's bytes/],
  ['torch.deserialize(mapLocation: "banana")', () => torch.deserialize(torch.serialize(torch.ones(2)), { mapLocation: 'banana' }), /device type at start of device string: banana/],
  ...(torch.cuda.isAvailable() ? [] : [['torch.deserialize(mapLocation: cuda, no GPU)', () => torch.deserialize(torch.serialize(torch.ones(2)), { mapLocation: 'cuda' }), /CUDA is not available/] as Row]),
];

const safetensors: Row[] = [
  ['safetensors.loadFile(missing file)', () => torch.safetensors.loadFile(file('nothing.safetensors')), /ENOENT/],
  ['safetensors.saveFile({ a: 5 })', () => torch.safetensors.saveFile({ a: 5 } as never, file('a.safetensors')), /safetensors: 'a' is not a Tensor/],
  ['safetensors.saveFile(disposed)', () => torch.safetensors.saveFile({ a: disposed() }, file('b.safetensors')), dead],
  ['safetensors.saveSafetensors(disposed)', () => torch.safetensors.saveSafetensors({ a: disposed() }), dead],
  ['safetensors.loadSafetensors(shorter than the length field)', () => torch.safetensors.loadSafetensors(Buffer.from('garbage')), /the file is shorter than its 8-byte header length/],
  ['safetensors.loadSafetensors(huge header length)', () => torch.safetensors.loadSafetensors(Buffer.alloc(8, 255)), /header length .* exceeds the file/],
  ['safetensors.loadSafetensors(header not JSON)', () => torch.safetensors.loadSafetensors(Buffer.concat([Buffer.from([4, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{"a"')])), /the header is not valid JSON/],
  ['safetensors.loadSafetensors(huge declared shape)', () => torch.safetensors.loadSafetensors(safetensorsBytes({ a: { dtype: 'F32', shape: [1e12], data_offsets: [0, 4] } }, 4)), /tensor 'a' has data offsets \[0, 4\] that do not fit its shape or the file/],
  ['safetensors.loadSafetensors(offsets past the end)', () => torch.safetensors.loadSafetensors(safetensorsBytes({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 4000] } }, 4)), /data offsets \[0, 4000\] that do not fit/],
  ['safetensors.loadSafetensors(unknown dtype)', () => torch.safetensors.loadSafetensors(safetensorsBytes({ a: { dtype: 'XX', shape: [2], data_offsets: [0, 8] } }, 8)), /tensor 'a' has unsupported dtype XX/],
  ['safetensors.loadSafetensors(negative shape)', () => torch.safetensors.loadSafetensors(safetensorsBytes({ a: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, 8)), /tensor 'a' has an invalid shape/],
];

const jit: Row[] = [
  ['jit.load(missing file)', () => torch.jit.load(file('nothing.pt')), /open file failed because of errno 2 on fopen: No such file or directory/],
  ['jit.load(5)', () => torch.jit.load(5 as never), /jit.load\(path\): expected a string, got 5/],
  ['jit.load(a state dict, not a module)', () => torch.jit.load(fixture('python-state-dict.pt')), /PytorchStreamReader failed locating file constants.pkl: file not found/],
  ['jit.load(mapLocation: "banana")', () => torch.jit.load(fixture('scripted.pt'), { mapLocation: 'banana' }), /device type at start of device string: banana/],
  ['jit.ScriptModule.forward(5)', () => scripted().forward(5), /forward\(\) Expected a value of type 'Tensor' for argument 'x' but instead found type 'int'/],
  ['jit.ScriptModule.forward()', () => scripted().forward(), /forward\(\) is missing value for argument 'x'/],
  ['jit.ScriptModule.forward(wrong shape)', () => scripted().forward(torch.ones(2, 5)), /mat1 and mat2 shapes cannot be multiplied \(2x5 and 3x4\)/],
  ['jit.ScriptModule.forward(disposed)', () => scripted().forward(disposed()), dead],
  ['jit.ScriptModule.forward(a function)', () => scripted().forward(() => 1), /cannot convert|function/],
  ['jit.ScriptModule.forwardAsync(wrong shape) rejects', () => scripted().forwardAsync(torch.ones(2, 5)), /mat1 and mat2 shapes cannot be multiplied \(2x5 and 3x4\)/],
  ['jit.ScriptModule.forwardAsync(disposed)', () => scripted().forwardAsync(disposed()), dead],
  ['jit.ScriptModule.runMethod("nope")', () => scripted().runMethod('nope'), /the TorchScript module has no method 'nope'/],
  ['jit.ScriptModule.runMethod(5)', () => scripted().runMethod(5 as never), /runMethod\(name\): expected a string, got 5/],
  ['jit.ScriptModule.runMethodAsync("nope") rejects', () => scripted().runMethodAsync('nope'), /the TorchScript module has no method 'nope'/],
  ['jit.ScriptModule.save(into a missing folder)', () => scripted().save(file('missing/m.pt')), /Parent directory .* does not exist/],
  ['jit.ScriptModule.train("x")', () => scripted().train('x' as never), /train\(mode\): expected a boolean, got 'x'/],
  ['jit.ScriptModule(5).forward()', () => new torch.jit.ScriptModule(5).forward(), /expected a TorchScript module/],
  ['jit.ScriptModule.loadStateDict(missing keys)', () => scripted().loadStateDict({ a: torch.ones(1) }), /Error\(s\) in loading state_dict for ScriptModule:.*missing key "fc1.weight"/s],
  ['jit.trace(5)', () => torch.jit.trace(5 as never, [torch.ones(2)]), /torch.jit.trace: expected an nn.Module or a function, got 5/],
  ['jit.trace(fn of a disposed input)', () => torch.jit.trace((t: torch.Tensor) => t.mul(2), [disposed()]), dead],
  ['jit.trace(fn returning a number)', () => torch.jit.trace(() => 5 as never, [torch.ones(2)]), /Only tensors, lists, tuples of tensors, or dictionary of tensors can be output from traced functions/],
  ['jit.trace(fn that throws)', () => torch.jit.trace(() => { throw new Error('inside the traced function'); }, [torch.ones(2)]), /inside the traced function/],
];

const rows = [...saveLoad, ...safetensors, ...jit];

describe('bad input to save/load, safetensors and jit: a JS Error naming what was wrong', () => {
  itThrowsForEachRow(rows);
  itStillComputes();
  it('every public name of torch.jit and torch.safetensors has a row', () => {
    expect(uncovered('jit', torch.jit, rows, {})).toEqual([]);
    expect(uncovered('safetensors', torch.safetensors, rows, {})).toEqual([]);
  });
});

const temporaries = (dir: string) => fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'));

describe('torch.save is atomic', () => {
  it('a save that fails midway keeps the previous checkpoint and removes its temporary file', () => {
    const target = file('checkpoint.pt');
    torch.save({ step: 1, w: torch.arange(4).float() }, target);
    const before = fs.readFileSync(target);
    // The disk fills up after the first bytes: writeSync writes part, then throws.
    const real = fs.writeSync;
    let calls = 0;
    const spy = vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, buffer: Uint8Array, offset?: number) => {
      if (calls++ === 0) return real(fd, buffer, offset ?? 0, 10);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as typeof fs.writeSync);
    try {
      expect(() => torch.save({ step: 2, w: torch.zeros(1000) }, target)).toThrow(/ENOSPC/);
    } finally {
      spy.mockRestore();
    }
    expect(calls).toBe(2);
    expect(fs.readFileSync(target).equals(before)).toBe(true);
    expect(temporaries(tmp)).toEqual([]);
    const loaded = torch.load(target) as { step: number; w: torch.Tensor };
    expect(loaded.step).toBe(1);
    expect(loaded.w.tolist()).toEqual([0, 1, 2, 3]);
  });

  it('a serializer that throws writes nothing at all', () => {
    const target = file('checkpoint2.pt');
    torch.save({ a: torch.ones(2) }, target);
    const before = fs.readFileSync(target);
    expect(() => torch.save({ a: torch.ones(2), b: disposed() }, target)).toThrow(dead);
    expect(fs.readFileSync(target).equals(before)).toBe(true);
    expect(temporaries(tmp)).toEqual([]);
  });

  it('a process killed while saving a large checkpoint in a loop never leaves a broken file', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'kill-'));
    const target = path.join(dir, 'big.pt');
    const dist = path.join(__dirname, '..', 'dist', 'cjs', 'index.js');
    if (!fs.existsSync(dist)) throw new Error(`${dist} is missing: run npm run build:ts before these tests`);
    // Each save writes 32 MB whose every value is the save's number; the child prints each.
    const script = `const torch = require(${JSON.stringify(dist)});
      for (let i = 1; ; i++) { torch.save({ i, w: torch.full([8 * 1024 * 1024], i) }, ${JSON.stringify(target)}); console.log(i); }`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let saved = 0;
    child.stdout.on('data', (d: Buffer) => { saved = Number(d.toString().trim().split('\n').pop()); });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        // Kill it after a few saves, most likely in the middle of the next one.
        if (saved >= 3) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 20);
    });
    await new Promise((resolve) => child.on('exit', resolve));
    const loaded = torch.load(target) as { i: number; w: torch.Tensor };
    expect(loaded.i).toBeGreaterThanOrEqual(saved);
    expect(loaded.w.shape).toEqual([8 * 1024 * 1024]);
    expect(loaded.w.min().item()).toBe(loaded.i);
    expect(loaded.w.max().item()).toBe(loaded.i);
    // The killed save may have left its temporary file; the next save removes it.
    torch.save({ i: 0 }, target);
    expect(temporaries(dir)).toEqual([]);
    expect((torch.load(target) as { i: number }).i).toBe(0);
  }, 120_000);
});
