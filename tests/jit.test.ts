import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

const fixture = (name: string) => path.join(__dirname, 'fixtures', name);

describe('torch.jit (TorchScript modules made in Python)', () => {
  it('loads a scripted module and gives Python\'s outputs, tuples and exported methods included', () => {
    const m = torch.jit.load(fixture('scripted.pt')).eval();
    const { x, out, total } = torch.load(fixture('scripted-io.pt')) as Record<string, torch.Tensor>;
    const [y, s] = m.forward(x, 2.0) as [torch.Tensor, torch.Tensor];
    expect(torch.allclose(y, out, 1e-5, 1e-6)).toBe(true);
    expect(s.item()).toBeCloseTo(total.item(), 5);
    expect(m.runMethod('describe', ['ab', 'xyz'])).toEqual({ ab: 2, xyz: 3 });
    expect(m.namedParameters().map(([n]) => n)).toEqual(['fc1.weight', 'fc1.bias', 'bn.weight', 'bn.bias', 'fc2.weight', 'fc2.bias']);
    expect(Object.keys(m.stateDict())).toContain('bn.running_mean');
    expect(String(m)).toMatch(/forward\(__torch__\.Net self, Tensor x, float scale=1\.?\)/);
  });

  it('fine-tunes with torch.optim, then saves and reloads', () => {
    const m = torch.jit.load(fixture('scripted.pt')).train();
    expect(m.training).toBe(true);
    const opt = new torch.optim.SGD(m.parameters(), { lr: 0.1 });
    const x = torch.randn(8, 3);
    const loss = () => ((m.forward(x) as torch.Tensor[])[0]).pow(2).mean();
    const before = loss().item();
    for (let i = 0; i < 20; i++) {
      opt.zeroGrad();
      const l = loss();
      l.backward();
      opt.step();
    }
    expect(loss().item()).toBeLessThan(before);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jit-')), 'tuned.pt');
    m.save(file);
    const again = torch.jit.load(file);
    expect(again.parameters()[0].tolist()).toEqual(m.parameters()[0].tolist());
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  it('bad files and calls throw with libtorch\'s reason', () => {
    expect(() => torch.jit.load(fixture('python-checkpoint.pt'))).toThrow();
    expect(() => torch.jit.load('/nonexistent/model.pt')).toThrow(/open file failed|No such file/);
    const m = torch.jit.load(fixture('scripted.pt'));
    expect(() => m.forward('text')).toThrow(/Expected a value of type 'Tensor'/);
    expect(() => m.runMethod('nope')).toThrow("the TorchScript module has no method 'nope'");
  });
});
