import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';
import { exposedGc } from '../lib/gc-pacing';

const mb = () => process.memoryUsage().rss / 2 ** 20;
// The count after a full GC: garbage left by earlier tests would otherwise be freed by any
// collection, GC pacing's included, between a test's two counts.
const gc = exposedGc()!;
const liveAfterGc = () => { gc({ type: 'major' }); return torch.liveTensors(); };

describe('memory', () => {
  it('dispose frees now, is idempotent, and a disposed tensor throws on use', () => {
    const before = liveAfterGc();
    const x = torch.ones(1000);
    expect(torch.liveTensors()).toBe(before + 1);
    x.dispose();
    x.dispose();
    expect(x.isDisposed).toBe(true);
    expect(torch.liveTensors()).toBe(before);
    expect(() => x.add(1)).toThrow(/Tensor has been disposed/);
    expect(() => x.shape).toThrow(/Tensor has been disposed/);
    expect(String(x)).toBe('tensor(<disposed>)');
  });

  it('Symbol.dispose releases at the end of a using block', () => {
    const before = liveAfterGc();
    {
      using t = torch.zeros(10);
      expect(torch.liveTensors()).toBe(before + 1);
      expect(t.sum().item()).toBe(0);
    }
    // t and its temporary sum: the sum is left to the GC, t is freed.
    expect(torch.liveTensors()).toBeLessThanOrEqual(before + 1);
  });

  it('tidy disposes what the function created except what it returns', () => {
    const before = liveAfterGc();
    const kept = torch.tidy(() => {
      const a = torch.ones(100);
      const b = a.mul(2);
      return { result: b.add(1) };
    });
    expect(torch.liveTensors()).toBe(before + 1);
    expect(kept.result.sum().item()).toBe(300);
    expect(() => torch.tidy(() => {
      torch.ones(1);
      throw new Error('boom');
    })).toThrow('boom');
    expect(torch.liveTensors()).toBeLessThanOrEqual(before + 2);
  });

  it('a synchronous training-style loop without dispose settles (GC-managed handles)', () => {
    // 4 MB per result: without collection 600 iterations would hold 2.4 GB.
    const x = torch.ones(1024, 1024);
    for (let i = 0; i < 100; i++) x.mul(2).sum().item();
    const warm = mb();
    for (let i = 0; i < 600; i++) x.mul(2).add(1).sum().item();
    const grown = mb() - warm;
    expect(grown).toBeLessThan(600);
    expect(torch.liveTensors()).toBeLessThan(400);
  });

  it('zero-copy tensors keep their JS memory alive until they are freed', () => {
    let t: torch.Tensor | null = torch.fromArray(new Float32Array(1 << 20).fill(2));
    (globalThis as { gc?: () => void }).gc?.();
    expect(t.sum().item()).toBe(2 * (1 << 20));
    t.dispose();
    t = null;
  });
});
