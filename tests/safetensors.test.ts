import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

const { safetensors } = torch;

describe('safetensors', () => {
  it('reads a file written by Hugging Face\'s safetensors in Python', () => {
    const t = safetensors.loadFile(path.join(__dirname, 'fixtures', 'python.safetensors'));
    expect(t.weight.tolist()).toEqual([[1.5, -2.25], [0.125, 4.0]]);
    expect(t.ids.dtype).toBe(torch.int64);
    expect(t.ids.tolist()).toEqual([1, 2, 3]);
    expect(t.half.dtype).toBe(torch.float16);
    expect(t.half.tolist()).toEqual([0.5, 1.5, -3]);
    expect(t.bf16.dtype).toBe(torch.bfloat16);
    expect(t.bf16.tolist()).toEqual([1, -0.5]);
    expect(t.mask.tolist()).toEqual([true, false, true]);
  });

  it('round-trips every dtype, non-contiguous tensors included', () => {
    const tensors = {
      a: torch.arange(6).float().reshape(2, 3).t(),
      b: torch.tensor([1.5, 2.5], { dtype: torch.float16 }),
      c: torch.tensor([true, false]),
      d: torch.tensor([7n, -8n]),
      e: torch.tensor([0.25], { dtype: torch.float64 }),
    };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'st-')), 'x.safetensors');
    safetensors.saveFile(tensors, file, { note: 'x' });
    const back = safetensors.loadFile(file);
    for (const [k, v] of Object.entries(tensors)) {
      expect(back[k].dtype).toBe(v.dtype);
      expect(back[k].tolist()).toEqual(v.tolist());
    }
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  it('rejects corrupt and lying headers without reading past the file', () => {
    const good = fs.readFileSync(path.join(__dirname, 'fixtures', 'python.safetensors'));
    const lie = (header: object) => {
      const json = Buffer.from(JSON.stringify(header));
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(json.length));
      return Buffer.concat([len, json, Buffer.alloc(8)]);
    };
    expect(() => safetensors.loadSafetensors(good.subarray(0, 5))).toThrow('shorter than its 8-byte header length');
    expect(() => safetensors.loadSafetensors(good.subarray(0, 40))).toThrow(/header length \d+ exceeds the file/);
    expect(() => safetensors.loadSafetensors(lie({ x: { dtype: 'F32', shape: [1e9], data_offsets: [0, 4e9] } }))).toThrow(/do not fit its shape or the file/);
    expect(() => safetensors.loadSafetensors(lie({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }))).toThrow(/do not fit/);
    expect(() => safetensors.loadSafetensors(lie({ x: { dtype: 'Q4', shape: [1], data_offsets: [0, 1] } }))).toThrow(/unsupported dtype Q4/);
    expect(() => safetensors.loadSafetensors(lie({ x: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }))).toThrow(/invalid shape/);
    const notJson = Buffer.concat([Buffer.from([3, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{x:')]);
    expect(() => safetensors.loadSafetensors(notJson)).toThrow('the header is not valid JSON');
  });
});
