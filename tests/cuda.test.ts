import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

const available = torch.cuda.isAvailable();
const reason = available ? '' : `CUDA not available: ${torch.cuda.unavailableReason()}`;
if (!available) console.log(`cuda tests skipped: ${reason}`);

describe('torch.cuda', () => {
  it('reports availability consistently', () => {
    expect(typeof available).toBe('boolean');
    expect(torch.cuda.deviceCount() > 0).toBe(available);
    if (!available) expect(torch.cuda.unavailableReason().length).toBeGreaterThan(0);
  });

  it.skipIf(!available)(`moves tensors to the GPU and back (${reason || 'GPU present'})`, () => {
    const x = torch.arange(6).float().reshape(2, 3).cuda();
    expect(x.device.type).toBe('cuda');
    expect(x.isCuda).toBe(true);
    const y = x.matmul(x.t()).cpu();
    expect(y.tolist()).toEqual([[5, 14], [14, 50]]);
    torch.cuda.synchronize();
  });

  it.skipIf(!available)(`autograd on the GPU (${reason || 'GPU present'})`, () => {
    const x = torch.ones(3, { device: 'cuda', requiresGrad: true });
    x.mul(x).sum().backward();
    expect(x.grad?.cpu().tolist()).toEqual([2, 2, 2]);
  });

  it.skipIf(!available)(`setDefaultDevice('cuda') builds models and data on the GPU (${reason || 'GPU present'})`, () => {
    try {
      torch.setDefaultDevice('cuda');
      const model = new torch.nn.Linear(3, 2);
      const out = model.forward(torch.randn(4, 3));
      expect([model.weight.device.type, out.device.type, torch.tensor([1]).device.type]).toEqual(['cuda', 'cuda', 'cuda']);
    } finally {
      torch.setDefaultDevice(null);
    }
  });

  it.skipIf(!available)(`a loop of GPU tensors without dispose settles (${reason || 'GPU present'})`, () => {
    const x = torch.ones(1024, 1024, { device: 'cuda' });
    for (let i = 0; i < 2000; i++) x.mul(2).sum().item();
    expect(torch.liveTensors()).toBeLessThan(1000);
  });
});
