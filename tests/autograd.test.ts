import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

describe('autograd', () => {
  it('backward fills .grad of leaves, like PyTorch', () => {
    const x = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const y = x.mul(x).sum();
    expect(y.gradFn?.name()).toBe('SumBackward0');
    expect(x.isLeaf).toBe(true);
    expect(y.isLeaf).toBe(false);
    y.backward();
    expect(x.grad?.tolist()).toEqual([[2, 4], [6, 8]]);
  });

  it('accumulates across backward calls, with retainGraph', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(3).sum();
    y.backward({ retainGraph: true });
    y.backward();
    expect(x.grad?.tolist()).toEqual([6, 6]);
    x.grad = null;
    expect(x.grad).toBeNull();
  });

  it('a second backward without retainGraph throws libtorch\'s error', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.exp().sum();
    y.backward();
    expect(() => y.backward()).toThrow(/Trying to backward through the graph a second time/);
  });

  it('backward with a gradient for non-scalar outputs', () => {
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    x.mul(2).backward(torch.tensor([1, 0.5, 0]));
    expect(x.grad?.tolist()).toEqual([2, 1, 0]);
  });

  it('noGrad and enableGrad, as a function and with using', () => {
    const x = torch.ones(2, { requiresGrad: true });
    const y = torch.noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(torch.isGradEnabled()).toBe(true);
    {
      using _guard = torch.noGrad();
      expect(torch.isGradEnabled()).toBe(false);
      expect(torch.enableGrad(() => x.mul(2)).requiresGrad).toBe(true);
    }
    expect(torch.isGradEnabled()).toBe(true);
  });

  it('detach, requiresGrad_, retainGrad', () => {
    const x = torch.ones(2).requiresGrad_();
    expect(x.requiresGrad).toBe(true);
    const h = x.mul(2);
    h.retainGrad();
    h.sum().backward();
    expect(h.grad?.tolist()).toEqual([1, 1]);
    expect(x.detach().requiresGrad).toBe(false);
    expect(x.data.requiresGrad).toBe(false);
  });

  it('torch.autograd.grad, with createGraph for second derivatives', () => {
    const x = torch.tensor([2, 3], { requiresGrad: true });
    const y = x.pow(3).sum();
    const [g] = torch.autograd.grad(y, x, { createGraph: true });
    expect(g?.tolist()).toEqual([12, 27]);
    const [g2] = torch.autograd.grad(g!.sum(), x);
    expect(g2?.tolist()).toEqual([12, 18]);
  });

  it('unused inputs: an error, or null with allowUnused', () => {
    const x = torch.ones(1, { requiresGrad: true });
    const z = torch.ones(1, { requiresGrad: true });
    expect(() => torch.autograd.grad(x.mul(2).sum(), [x, z])).toThrow(/appears to not have been used in the graph/);
    const [gx, gz] = torch.autograd.grad(x.mul(2).sum(), [x, z], { allowUnused: true });
    expect(gx?.tolist()).toEqual([2]);
    expect(gz).toBeNull();
  });
});

describe('inferenceMode', () => {
  it('records nothing inside, and its tensors cannot enter autograd later', () => {
    const w = torch.ones(2, { requiresGrad: true });
    const y = torch.inferenceMode(() => {
      expect(torch.isInferenceModeEnabled()).toBe(true);
      expect(torch.isGradEnabled()).toBe(false);
      return w.mul(2);
    });
    expect(torch.isInferenceModeEnabled()).toBe(false);
    expect(y.requiresGrad).toBe(false);
    expect(y.tolist()).toEqual([2, 2]);
    expect(() => y.mul(w).sum().backward()).toThrow(/Inference tensors cannot be saved for backward/);
    {
      using _mode = torch.inferenceMode();
      expect(torch.isInferenceModeEnabled()).toBe(true);
    }
    expect(torch.isInferenceModeEnabled()).toBe(false);
  });
});
