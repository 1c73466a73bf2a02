import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

describe('errors reach JS as Errors with libtorch\'s message', () => {
  it('shape mismatch', () => {
    expect(() => torch.ones(2, 3).add(torch.ones(4, 5))).toThrow(
      'The size of tensor a (3) must match the size of tensor b (5) at non-singleton dimension 1');
  });

  it('matmul shapes, without a C++ backtrace', () => {
    let message = '';
    try {
      torch.ones(2, 3).matmul(torch.ones(2, 3));
    } catch (e) {
      expect(e).toBeInstanceOf(Error);
      message = (e as Error).message;
    }
    expect(message).toContain('mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)');
    expect(message).not.toMatch(/Exception raised from|frame #/);
  });

  it('bad sizes, dtypes and indices throw and the process goes on', () => {
    expect(() => torch.zeros(-1)).toThrow('zeros: Dimension size must be non-negative.');
    expect(() => torch.ones(2).view(3)).toThrow(/shape '\[3\]' is invalid for input of size 2/);
    expect(() => torch.ones(3).select(0, 5)).toThrow(/index 5 out of range/);
    expect(() => torch.ones(2, { dtype: torch.bool }).sub(torch.ones(2, { dtype: torch.bool }))).toThrow(/Subtraction, the `-` operator, with two bool tensors is not supported/);
    expect(() => torch.ones(2).size(3)).toThrow(/Dimension out of range/);
    expect(torch.ones(2).sum().item()).toBe(2);
  });

  it('wrong JS types are named', () => {
    expect(() => (torch.ones(2) as any).view('a')).toThrow(/invalid combination of arguments - got \(string\)/);
    expect(() => torch.tensor(null as any)).toThrow(/expected numbers, booleans or bigints, got null/);
    expect(() => torch.fromArray([1, 2] as any)).toThrow(/expected a TypedArray/);
  });

  it('NaN and Infinity are values, not errors', () => {
    const t = torch.tensor([NaN, Infinity, -Infinity]);
    expect(t.isnan().tolist()).toEqual([true, false, false]);
    expect(t.isinf().tolist()).toEqual([false, true, true]);
  });
});
