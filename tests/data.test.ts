import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

const { DataLoader, TensorDataset, randomSplit } = torch.utils.data;
const batches = (loader: Iterable<unknown>) => [...loader].map((b) => (b as torch.Tensor).tolist());

// Expected orders printed by PyTorch 2.11 for the same seeds.
describe('torch.utils.data', () => {
  it('DataLoader shuffles in PyTorch\'s order for the same global seed or generator', () => {
    torch.manualSeed(5);
    expect(batches(new DataLoader([...Array(10).keys()], { batchSize: 4, shuffle: true }))).toEqual([[8, 3, 0, 5], [9, 1, 6, 2], [4, 7]]);
    torch.manualSeed(5);
    expect(batches(new DataLoader([...Array(10).keys()], { batchSize: 4, shuffle: true, dropLast: true }))).toEqual([[8, 3, 0, 5], [9, 1, 6, 2]]);
    const generator = new torch.Generator().manualSeed(0);
    const ds = new TensorDataset(torch.arange(10), torch.arange(10).mul(10));
    const firsts = [...new DataLoader(ds, { batchSize: 4, shuffle: true, generator })].map((b) => (b as torch.Tensor[])[0].tolist());
    expect(firsts).toEqual([[3, 7, 5, 2], [0, 8, 1, 6], [9, 4]]);
  });

  it('TensorDataset batches collate into tensors; length counts batches', () => {
    const ds = new TensorDataset(torch.arange(6).float().reshape(3, 2), torch.tensor([0n, 1n, 0n]));
    const loader = new DataLoader(ds, { batchSize: 2 });
    expect(loader.length).toBe(2);
    expect([...loader].map((b) => (b as torch.Tensor[]).map((t) => t.tolist()))).toEqual([[[[0, 1], [2, 3]], [0, 1]], [[[4, 5]], [0]]]);
    expect(() => new TensorDataset(torch.ones(2), torch.ones(3))).toThrow('Size mismatch between tensors');
  });

  it('randomSplit by fractions with a generator', () => {
    const parts = randomSplit([...Array(10).keys()], [0.7, 0.3], { generator: new torch.Generator().manualSeed(2) });
    expect(parts.map((p) => p.indices)).toEqual([[8, 7, 1, 5, 6, 9, 0], [4, 2, 3]]);
    expect(parts[0].getItem(0)).toBe(8);
  });

  it('torch.Generator drives random ops like PyTorch\'s', () => {
    const g = new torch.Generator().manualSeed(0);
    torch.empty([], { dtype: torch.int64 }).random_({ generator: g });
    expect(torch.randperm(10, { generator: g }).tolist()).toEqual([3, 7, 5, 2, 0, 8, 1, 6, 9, 4]);
    expect(g.initialSeed()).toBe(0n);
    expect(() => (torch.randperm as any)(3, { generator: torch.ones(1) })).toThrow(/invalid combination of arguments/);
  });
});
