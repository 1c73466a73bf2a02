import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

// Expected values printed by PyTorch 2.11 for the same subscripts.
describe('x.get / x.set: Python subscripts', () => {
  const x = torch.arange(24).reshape(2, 3, 4);

  it('slices, integers, ellipsis and new axes, in one string or item by item', () => {
    expect(x.get(':, 1:3').tolist()).toEqual([[[4, 5, 6, 7], [8, 9, 10, 11]], [[16, 17, 18, 19], [20, 21, 22, 23]]]);
    expect(x.get(':', '1:3').shape).toEqual([2, 2, 4]);
    expect(x.get('..., None').shape).toEqual([2, 3, 4, 1]);
    expect(x.get('...', null).shape).toEqual([2, 3, 4, 1]);
    expect(x.get('0, :, ::2').tolist()).toEqual([[0, 2], [4, 6], [8, 10]]);
    expect(x.get(0, ':', '::2').tolist()).toEqual([[0, 2], [4, 6], [8, 10]]);
    expect(x.get(':, -1').tolist()).toEqual([[8, 9, 10, 11], [20, 21, 22, 23]]);
    expect(x.get('..., 1').tolist()).toEqual([[1, 5, 9], [13, 17, 21]]);
  });

  it('basic indexing gives views', () => {
    const y = torch.zeros(2, 3);
    y.get(0).fill_(7);
    expect(y.tolist()).toEqual([[7, 7, 7], [0, 0, 0]]);
  });

  it('index tensors, lists and boolean masks', () => {
    expect(x.get(torch.tensor([1n, 0n])).shape).toEqual([2, 3, 4]);
    expect(x.get(':', [0, 2], 1).tolist()).toEqual([[1, 9], [13, 21]]);
    const mask = torch.tensor([[true, false, true, false], [true, false, true, false], [true, false, true, false]]);
    expect(x.get(0).get(mask).tolist()).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('set writes in place, with scalars, tensors and masks', () => {
    const y = torch.zeros(3, 4);
    y.set('0, :2', 5);
    y.set(':, 3', torch.tensor([1, 2, 3]));
    y.set([y.eq(0)], -1);
    expect(y.tolist()).toEqual([[5, 5, -1, 1], [-1, -1, -1, 2], [-1, -1, -1, 3]]);
  });

  it('rejects what Python rejects', () => {
    expect(() => x.get('0, 0, 0, 0')).toThrow('too many indices for tensor of dimension 3');
    expect(() => x.get('::-1')).toThrow('step must be greater than zero');
    expect(() => x.get('..., ...')).toThrow('an index can only have a single ellipsis');
    expect(() => x.get('a:b')).toThrow(/cannot read 'a:b'/);
    expect(() => x.get(5)).toThrow(/index 5 out of range/);
  });
});
