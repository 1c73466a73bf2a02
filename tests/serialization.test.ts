import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-save-'));
const fixture = (name: string) => path.join(__dirname, 'fixtures', name);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('torch.save / torch.load', () => {
  it('round-trips tensors of every common dtype, nested in dicts and lists, with plain values', () => {
    const value = {
      f32: torch.arange(6).float().reshape(2, 3),
      f64: torch.tensor([0.1, 0.2], { dtype: torch.float64 }),
      i64: torch.tensor([1n, -2n]),
      u8: torch.tensor(Buffer.from([0, 255])),
      b: torch.tensor([true, false]),
      bf16: torch.tensor([1.5], { dtype: torch.bfloat16 }),
      nested: { list: [torch.ones(1), 3, 'text', null, true], epoch: 12, lr: 0.5 },
    };
    const file = path.join(tmp, 'a.pt');
    torch.save(value, file);
    const back = torch.load(file) as typeof value;
    expect(back.f32.tolist()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(back.f64.dtype).toBe(torch.float64);
    expect(back.f64.tolist()).toEqual([0.1, 0.2]);
    expect(back.i64.tolist()).toEqual([1, -2]);
    expect(back.u8.tolist()).toEqual([0, 255]);
    expect(back.b.tolist()).toEqual([true, false]);
    expect(back.bf16.dtype).toBe(torch.bfloat16);
    expect((back.nested.list[0] as torch.Tensor).tolist()).toEqual([1]);
    expect(back.nested.list.slice(1)).toEqual([3, 'text', null, true]);
    expect(back.nested.epoch).toBe(12);
    expect(back.nested.lr).toBe(0.5);
  });

  it('a module state dict saves and loads into a fresh model', () => {
    const a = new torch.nn.Sequential(new torch.nn.Linear(3, 4), new torch.nn.ReLU(), new torch.nn.Linear(4, 1));
    const b = new torch.nn.Sequential(new torch.nn.Linear(3, 4), new torch.nn.ReLU(), new torch.nn.Linear(4, 1));
    const file = path.join(tmp, 'model.pt');
    torch.save(a.stateDict(), file);
    b.loadStateDict(torch.load(file) as torch.nn.StateDict);
    const x = torch.randn(2, 3);
    expect(b.forward(x).tolist()).toEqual(a.forward(x).tolist());
  });

  it('reads a checkpoint written by PyTorch in Python', () => {
    const d = torch.load(fixture('python-checkpoint.pt')) as Record<string, unknown>;
    expect((d.weight as torch.Tensor).tolist()).toEqual([[1.5, -2.25], [0.125, 4.0]]);
    expect((d.bias as torch.Tensor).dtype).toBe(torch.int64);
    expect((d.half as torch.Tensor).dtype).toBe(torch.float16);
    expect((d.half as torch.Tensor).tolist()).toEqual([0.5, 1.5]);
    expect((d.mask as torch.Tensor).tolist()).toEqual([true, false]);
    expect([d.step, d.lr, d.name, d.history]).toEqual([7, 0.001, 'mlp', [0.5, 0.25]]);
  });

  it('reads a plain Python OrderedDict; says what to do with state_dict()\'s (it has attributes)', () => {
    expect(((torch.load(fixture('python-ordereddict.pt')) as { a: torch.Tensor }).a).tolist()).toEqual([1, 1]);
    expect(() => torch.load(fixture('python-state-dict.pt'))).toThrow(/save dict\(model.state_dict\(\)\) instead/);
  });

  it('corrupt files throw and the process goes on', () => {
    const good = fs.readFileSync(fixture('python-checkpoint.pt'));
    for (const bytes of [good.subarray(0, good.length >> 1), Buffer.from('not a checkpoint'), Buffer.alloc(0),
      Buffer.concat([good.subarray(0, 100), Buffer.alloc(200, 7), good.subarray(300)])]) {
      expect(() => torch.deserialize(bytes)).toThrow();
    }
    expect(torch.ones(1).item()).toBe(1);
  });

  it('a failed save leaves the previous checkpoint intact', () => {
    const file = path.join(tmp, 'keep.pt');
    torch.save({ v: torch.ones(2) }, file);
    const cyclic: Record<string, unknown> = { v: torch.zeros(2) };
    cyclic.self = cyclic;
    expect(() => torch.save(cyclic as never, file)).toThrow('torch.save: the object contains a cycle');
    expect(() => torch.save({ m: new torch.nn.Linear(1, 1) } as never, file)).toThrow(/torch.save: cannot pass a Linear to libtorch \(a module's stateDict\(\) holds its tensors\)/);
    expect(((torch.load(file) as { v: torch.Tensor }).v).tolist()).toEqual([1, 1]);
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('PyTorch checkpoints into torch-node models', () => {
  it('state dict keys match, so Python weights load and compute the same outputs', () => {
    const { nn } = torch;
    const model = new nn.Sequential(new nn.Linear(3, 4), new nn.BatchNorm1d(4), new nn.LSTM(4, 2, { batchFirst: true }));
    model.loadStateDict(torch.load(fixture('python-model.pt')) as torch.nn.StateDict);
    model.eval();
    const { x, out } = torch.load(fixture('python-model-io.pt')) as { x: torch.Tensor; out: torch.Tensor };
    const h = (model.at(1).forward(model.at(0).forward(x)) as torch.Tensor);
    const [y] = (model.at(2) as InstanceType<typeof nn.LSTM>).forward(h.unsqueeze(0));
    expect(torch.allclose(y, out, 1e-5, 1e-6)).toBe(true);
  });
});
