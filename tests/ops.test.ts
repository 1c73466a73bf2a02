import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

const close = (a: unknown, b: unknown, digits = 5) => {
  const fa = [a].flat(Infinity as 1) as number[];
  const fb = [b].flat(Infinity as 1) as number[];
  expect(fa.length).toBe(fb.length);
  fa.forEach((v, i) => expect(v).toBeCloseTo(fb[i], digits));
};

describe('shape ops', () => {
  const a = torch.arange(12).float().reshape(3, 4);

  it('view/reshape/permute/transpose/t/flatten/squeeze/unsqueeze/expand', () => {
    expect(a.view(4, 3).shape).toEqual([4, 3]);
    expect(a.view([2, -1]).shape).toEqual([2, 6]);
    expect(a.permute(1, 0).shape).toEqual([4, 3]);
    expect(a.transpose(0, 1).contiguous().view(-1).tolist()).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    expect(a.t().shape).toEqual([4, 3]);
    expect(a.flatten().shape).toEqual([12]);
    expect(a.unsqueeze(0).shape).toEqual([1, 3, 4]);
    expect(a.unsqueeze(0).squeeze().shape).toEqual([3, 4]);
    expect(torch.ones(3, 1).expand(3, 4).shape).toEqual([3, 4]);
    expect(a.size(-1)).toBe(4);
    expect(a.dim()).toBe(2);
    expect(a.numel()).toBe(12);
  });

  it('cat/stack/split/chunk', () => {
    const x = torch.ones(2, 3);
    expect(torch.cat([x, x]).shape).toEqual([4, 3]);
    expect(torch.cat([x, x], 1).shape).toEqual([2, 6]);
    expect(torch.stack([x, x]).shape).toEqual([2, 2, 3]);
    expect(a.split(2).map((t) => t.shape)).toEqual([[2, 4], [1, 4]]);
    expect(a.chunk(2, 1).map((t) => t.shape)).toEqual([[3, 2], [3, 2]]);
  });

  it('select/narrow/indexSelect/gather/scatter/maskedFill/where', () => {
    expect(a.select(1, 2).tolist()).toEqual([2, 6, 10]);
    expect(a.narrow(1, 1, 2).tolist()).toEqual([[1, 2], [5, 6], [9, 10]]);
    expect(a.indexSelect(0, torch.tensor([2n, 0n])).tolist()).toEqual([[8, 9, 10, 11], [0, 1, 2, 3]]);
    expect(a.gather(1, torch.tensor([[0n], [1n], [2n]])).tolist()).toEqual([[0], [5], [10]]);
    expect(torch.zeros(2, 3).scatter(1, torch.tensor([[1n], [2n]]), 1).tolist()).toEqual([[0, 1, 0], [0, 0, 1]]);
    expect(torch.tensor([1, 2, 3]).maskedFill(torch.tensor([true, false, true]), 0).tolist()).toEqual([0, 2, 0]);
    expect(torch.where(torch.tensor([true, false]), torch.tensor([1, 2]), torch.tensor([3, 4])).tolist()).toEqual([1, 4]);
  });
});

describe('math and reductions', () => {
  const a = torch.arange(12).float().reshape(3, 4);

  it('elementwise with tensors and scalars, keeping integer dtypes', () => {
    const x = torch.tensor([1, 2, 3]);
    expect(x.add(x).tolist()).toEqual([2, 4, 6]);
    expect(x.add(1).tolist()).toEqual([2, 3, 4]);
    expect(x.add(x, { alpha: 2 }).tolist()).toEqual([3, 6, 9]);
    expect(x.mul(2).sub(1).div(2).tolist()).toEqual([0.5, 1.5, 2.5]);
    expect(torch.add(x, 10).tolist()).toEqual([11, 12, 13]);
    expect(torch.arange(3).add(1).dtype).toBe(torch.int64);
    expect(x.pow(2).tolist()).toEqual([1, 4, 9]);
    close(x.exp().log().tolist(), [1, 2, 3]);
    expect(torch.tensor([-1, 0, 2]).relu().tolist()).toEqual([0, 0, 2]);
    expect(torch.tensor([-1, 2]).abs().tolist()).toEqual([1, 2]);
  });

  it('in-place ops return the same tensor object', () => {
    const x = torch.zeros(2);
    const y = x.add_(1);
    expect(y).toBe(x);
    expect(x.tolist()).toEqual([1, 1]);
    expect(torch.relu_(torch.tensor([-1, 1])).tolist()).toEqual([0, 1]);
  });

  it('reductions with dim and keepdim, like PyTorch', () => {
    expect(a.sum().item()).toBe(66);
    expect(a.sum(1, { keepdim: true }).tolist()).toEqual([[6], [22], [38]]);
    expect(a.sum(1, true).shape).toEqual([3, 1]);
    expect(a.mean().item()).toBe(5.5);
    expect(a.mean(0).tolist()).toEqual([4, 5, 6, 7]);
    expect(a.sum({ dtype: torch.float64 }).dtype).toBe(torch.float64);
    const [values, indices] = a.max(1);
    expect(values.tolist()).toEqual([3, 7, 11]);
    expect(indices.tolist()).toEqual([3, 3, 3]);
    expect(a.max().item()).toBe(11);
    expect(a.argmax().item()).toBe(11);
    close(a.std().item(), 3.605551275463989);
  });

  it('comparisons give bool tensors', () => {
    const x = torch.tensor([1, 2, 3]);
    expect(x.gt(1).dtype).toBe(torch.bool);
    expect(x.gt(1).tolist()).toEqual([false, true, true]);
    expect(x.eq(torch.tensor([1, 0, 3])).tolist()).toEqual([true, false, true]);
    expect(torch.allclose(x, x.add(1e-9))).toBe(true);
    expect(x.equal(x)).toBe(true);
  });

  it('sort and topk', () => {
    const [v, i] = torch.tensor([3n, 1n, 2n]).sort();
    expect(v.tolist()).toEqual([1, 2, 3]);
    expect(i.tolist()).toEqual([1, 2, 0]);
    const [tv, ti] = torch.tensor([1, 5, 3, 2]).topk(2);
    expect(tv.tolist()).toEqual([5, 3]);
    expect(ti.tolist()).toEqual([1, 2]);
  });

  it('linear algebra', () => {
    const x = torch.tensor([[1, 2], [3, 4]]);
    expect(x.matmul(x).tolist()).toEqual([[7, 10], [15, 22]]);
    expect(torch.mm(x, x).tolist()).toEqual([[7, 10], [15, 22]]);
    expect(torch.bmm(x.unsqueeze(0), x.unsqueeze(0)).shape).toEqual([1, 2, 2]);
    expect(torch.einsum('ij,jk->ik', [x, x]).tolist()).toEqual([[7, 10], [15, 22]]);
    close(torch.linalg.inv(x).tolist(), [[-2, 1], [1.5, -0.5]]);
    close(torch.linalg.det(x).item(), -2);
    close(torch.linalg.norm(torch.tensor([3, 4])).item(), 5);
  });
});

describe('overload errors', () => {
  it('lists the overloads when none accepts the arguments', () => {
    expect(() => (torch.ones(2) as any).add('x')).toThrow(
      /Tensor\.add\(\) received an invalid combination of arguments - got \(string\), but expected one of:\n \* \(Tensor other, \*, Scalar alpha=…\)/);
    expect(() => (torch.zeros as any)(2, { color: 'red' })).toThrow(/torch\.zeros\(\) received an invalid combination/);
  });
});

describe('torch.ops.aten and properties', () => {
  it('calls any registered operator by schema name and overload', () => {
    const x = torch.tensor([1, -2, 3]);
    expect((torch.ops.aten.relu.default(x) as torch.Tensor).tolist()).toEqual([1, 0, 3]);
    expect((torch.ops.aten.add.Tensor(x, x) as torch.Tensor).tolist()).toEqual([2, -4, 6]);
    expect((torch.ops.aten.add(x, 1) as torch.Tensor).tolist()).toEqual([2, -1, 4]);
    expect((torch.ops.aten._log_softmax(torch.tensor([0, 0]), 0, false) as torch.Tensor).tolist()[0]).toBeCloseTo(Math.log(0.5));
    expect('mm' in torch.ops.aten).toBe(true);
    expect(() => torch.ops.aten.no_such_op).toThrow('torch.ops.aten.no_such_op: no such operator');
  });

  it('T, mT and mH like Python', () => {
    const x = torch.arange(6).reshape(1, 2, 3);
    expect(x.T.shape).toEqual([3, 2, 1]);
    expect(x.mT.shape).toEqual([1, 3, 2]);
    expect(x.mH.shape).toEqual([1, 3, 2]);
  });
});

describe('layout and dtype helpers', () => {
  it('stride, storageOffset, isContiguous, elementSize, nelement, getDevice', () => {
    const x = torch.zeros(2, 3, 4);
    expect(x.stride()).toEqual([12, 4, 1]);
    expect(x.stride(-1)).toBe(1);
    const t = x.transpose(0, 2);
    expect(t.stride()).toEqual([1, 4, 12]);
    expect(t.isContiguous()).toBe(false);
    expect(x.isContiguous()).toBe(true);
    expect(torch.zeros(1, 3, 4, 4).contiguous({ memoryFormat: torch.channelsLast }).isContiguous(torch.channelsLast)).toBe(true);
    expect(x.get('1:').storageOffset()).toBe(12);
    expect(torch.zeros(1, { dtype: torch.float64 }).elementSize()).toBe(8);
    expect(x.nelement()).toBe(24);
    expect(x.ndimension()).toBe(3);
    expect(x.getDevice()).toBe(-1);
  });

  it('dtype shorthands and broadcastShapes', () => {
    const x = torch.tensor([1.5, -2]);
    expect(x.byte().dtype).toBe(torch.uint8);
    expect(x.char().tolist()).toEqual([1, -2]);
    expect(x.short().dtype).toBe(torch.int16);
    expect(x.cfloat().dtype).toBe(torch.complex64);
    expect(torch.broadcastShapes([2, 1], [3], 1)).toEqual([2, 3]);
    expect(() => torch.broadcastShapes([2], [3])).toThrow(/Shape mismatch/);
    expect(torch.numel(torch.ones(2, 5))).toBe(10);
    expect(torch.isTensor(x)).toBe(true);
    expect(torch.isTensor([1])).toBe(false);
  });
});

describe('unique (values from PyTorch 2.11)', () => {
  const x = torch.tensor([3n, 1n, 2n, 3n, 1n, 1n]);

  it('returns the sorted distinct values, or a list with inverse and counts', () => {
    expect((torch.unique(x) as torch.Tensor).tolist()).toEqual([1, 2, 3]);
    const [values, inverse, counts] = torch.unique(x, { returnInverse: true, returnCounts: true }) as torch.Tensor[];
    expect(values.tolist()).toEqual([1, 2, 3]);
    expect(inverse.tolist()).toEqual([2, 0, 1, 2, 0, 0]);
    expect(counts.tolist()).toEqual([3, 1, 2]);
    expect((torch.tensor([[1n, 2n], [1n, 2n], [0n, 1n]]).unique({ dim: 0 }) as torch.Tensor).tolist()).toEqual([[0, 1], [1, 2]]);
  });

  it('uniqueConsecutive', () => {
    const [values, counts] = x.uniqueConsecutive({ returnCounts: true }) as torch.Tensor[];
    expect(values.tolist()).toEqual([3, 1, 2, 3, 1]);
    expect(counts.tolist()).toEqual([1, 1, 1, 1, 2]);
  });
});
