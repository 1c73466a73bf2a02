// Tensor.registerHook and retainsGrad, with the values PyTorch gives for the same programs.
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

describe('Tensor.registerHook', () => {
  it('a returned tensor replaces the gradient (PyTorch: x.grad == [4, 8, 12])', () => {
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(x);
    y.registerHook((g) => g.mul(2));
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([4, 8, 12]);
  });

  it('a hook returning nothing observes the gradient; remove() unregisters it', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const seen: number[][] = [];
    const handle = x.registerHook((g) => void seen.push(g.tolist() as number[]));
    x.mul(3).sum().backward();
    expect(seen).toEqual([[3, 3]]);
    expect(x.grad!.tolist()).toEqual([3, 3]);
    handle.remove();
    handle.remove(); // a second remove does nothing, as in PyTorch
    x.mul(3).sum().backward();
    expect(seen).toHaveLength(1);
    expect(x.grad!.tolist()).toEqual([6, 6]);
  });

  it('hooks on a leaf run before accumulation, in registration order', () => {
    const x = torch.tensor([1], { requiresGrad: true });
    const order: string[] = [];
    x.registerHook((g) => (order.push('first'), g.add(1)));
    x.registerHook((g) => (order.push(`second ${g.item()}`), g.mul(10)));
    x.mul(2).sum().backward();
    expect(order).toEqual(['first', 'second 3']);
    expect(x.grad!.item()).toBe(30);
  });

  it('an Error thrown by a hook reaches backward()\'s caller, and autograd still works after', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.exp();
    y.registerHook(() => {
      throw new Error('hook failed');
    });
    expect(() => y.sum().backward()).toThrow('hook failed');
    const z = torch.tensor([1, 2], { requiresGrad: true });
    z.mul(z).sum().backward();
    expect(z.grad!.tolist()).toEqual([2, 4]);
  });

  it('refuses a tensor that does not require grad, and a hook that returns a non-tensor', () => {
    expect(() => torch.ones(2).registerHook((g) => g)).toThrow("cannot register a hook on a variable that doesn't require gradient");
    expect(() => torch.ones(2, { requiresGrad: true }).registerHook(5 as never)).toThrow(/registerHook\(hook\).*a function/);
    const x = torch.ones(2, { requiresGrad: true });
    x.registerHook(() => 'two' as never);
    expect(() => x.sum().backward()).toThrow(/the hook returned.*a Tensor or nothing/);
  });
});

describe('Tensor.retainsGrad', () => {
  it('is true after retainGrad() on a non-leaf only (PyTorch: False, True, False)', () => {
    const x = torch.ones(2, { requiresGrad: true });
    const y = x.mul(2);
    expect(y.retainsGrad).toBe(false);
    y.retainGrad();
    expect(y.retainsGrad).toBe(true);
    expect(x.retainsGrad).toBe(false);
    y.sum().backward();
    expect(y.grad!.tolist()).toEqual([1, 1]);
  });
});
