// Every torch.nn layer, nn.functional function, nn.init initializer and nn.utils helper against
// PyTorch 2.11's numbers: tests/fixtures/nn-golden-modules.json, written by nn-golden-modules.py.
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';
import {
  camel, decode, expectTensor, loadGolden, runFunctionalCase, runModuleCase, tensorOf,
  type Encoded, type FunctionalCase, type ModuleCase,
} from './nn-golden-harness';

const { nn } = torch;
const golden = loadGolden('nn-golden-modules.json');
const cases = golden.cases as (ModuleCase | FunctionalCase)[];

describe('nn layers: initialization for a seed, outputs, gradients and buffers equal PyTorch', () => {
  for (const c of cases.filter((k): k is ModuleCase => k.kind === 'module')) it(c.name, () => runModuleCase(c));
});

describe('nn.functional equals PyTorch', () => {
  for (const c of cases.filter((k): k is FunctionalCase => k.kind === 'functional')) it(c.name, () => runFunctionalCase(c));
});

describe('nn.init: the same numbers as PyTorch for the same seed', () => {
  type InitCase = { name: string; fn: string; seed: number; shape: number[]; args: unknown[]; kwargs: Record<string, unknown>; expected: Encoded };
  for (const c of golden.init as InitCase[]) {
    it(c.name, () => {
      torch.manualSeed(c.seed);
      const t = torch.empty(c.shape);
      const fn = (nn.init as unknown as Record<string, (...a: unknown[]) => torch.Tensor>)[camel(c.fn).replace(/_?$/, '_')];
      const options = Object.keys(c.kwargs).length ? [Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [camel(k), v]))] : [];
      expect(fn(t, ...c.args, ...options)).toBe(t);
      expectTensor(t, c.expected, c.fn, { atol: 1e-6, rtol: 1e-6 });
    });
  }

  it('calculateGain and the fans of every layer shape', () => {
    for (const [name, param, gain] of golden.gains as [torch.nn.init.Nonlinearity, number | null, number][]) {
      expect([name, param, nn.init.calculateGain(name, param ?? undefined)]).toEqual([name, param, gain]);
    }
    for (const [shape, fans] of golden.fans as [number[], number[]][]) {
      expect(nn.init.calculateFanInAndFanOut(torch.empty(shape))).toEqual(fans);
    }
    expect(() => nn.init.calculateGain('cube' as 'relu')).toThrow('Unsupported nonlinearity cube');
    expect(() => nn.init.xavierUniform_(torch.empty(3))).toThrow('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  });
});

describe('nn.utils equals PyTorch', () => {
  type UtilsCase = {
    name: string; fn: string; args: unknown[]; kwargs: Record<string, unknown>; params: Encoded[]; grads: (Encoded | null)[];
    requires_grad: boolean[]; returned: Encoded | null; params_after: Encoded[]; grads_after: (Encoded | null)[];
  };
  for (const c of golden.utils as UtilsCase[]) {
    it(c.name, () => {
      const params = c.params.map((p, i) => tensorOf(p).requiresGrad_(c.requires_grad[i]));
      params.forEach((p, i) => { if (c.grads[i]) p.grad = tensorOf(c.grads[i]!); });
      const args = decode(c.args) as unknown[];
      const options = Object.keys(c.kwargs).length ? [Object.fromEntries(Object.entries(decode(c.kwargs) as object).map(([k, v]) => [camel(k), v]))] : [];
      const fn = (nn.utils as unknown as Record<string, (...a: unknown[]) => unknown>)[camel(c.fn)];
      const returned = c.fn === 'vector_to_parameters' ? fn(args[0], params) : fn(params, ...args, ...options);
      if (c.returned) expectTensor(returned, c.returned, 'returned');
      params.forEach((p, i) => expectTensor(p, c.params_after[i], `parameter ${i}`));
      params.forEach((p, i) => {
        if (c.grads_after[i]) expectTensor(p.grad, c.grads_after[i]!, `gradient ${i}`);
        else expect(p.grad).toBeNull();
      });
    });
  }

  it('clipGradNorm_ with errorIfNonfinite refuses an infinite norm, as PyTorch does', () => {
    const p = torch.ones(2, { requiresGrad: true });
    p.grad = torch.tensor([Infinity, 1]);
    expect(() => nn.utils.clipGradNorm_([p], 1, { errorIfNonfinite: true }))
      .toThrow('The total norm of order 2 for gradients from `parameters` is non-finite, so it cannot be clipped.');
  });
});

describe('layers refuse what PyTorch refuses, with its messages', () => {
  const F = nn.functional;
  it('convolutions', () => {
    expect(() => new nn.Conv2d(2, 2, 3, { paddingMode: 'mirror' as 'reflect' }))
      .toThrow("padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], but got padding_mode='mirror'");
    expect(() => new nn.Conv1d(2, 2, 3, { padding: 'same', stride: 2 })).toThrow("padding='same' is not supported for strided convolutions");
    expect(() => new nn.ConvTranspose2d(2, 2, 3, { paddingMode: 'reflect' })).toThrow('Only "zeros" padding mode is supported for ConvTranspose2d');
    expect(() => new nn.ConvTranspose2d(1, 1, 3, { stride: 2 }).forward(torch.ones(1, 1, 3, 3), [9, 9]))
      .toThrow('requested an output size of [9, 9], but valid sizes range from [7, 7] to [8, 8] (for an input of [3, 3])');
  });

  it('normalization, recurrent, attention, sampling, embeddings, dropout, init', () => {
    expect(() => new nn.BatchNorm1d(3).forward(torch.ones(1, 3))).toThrow('Expected more than 1 value per channel when training, got input size torch.Size([1, 3])');
    expect(() => new nn.InstanceNorm1d(3).forward(torch.ones(2, 3, 1))).toThrow('Expected more than 1 spatial element when training, got input size torch.Size([2, 3, 1])');
    expect(() => new nn.BatchNorm3d(2).forward(torch.ones(2, 2, 2))).toThrow('expected 5D input (got 3D input)');
    expect(() => new nn.LSTM(3, 4, { projSize: 4 })).toThrow('proj_size has to be smaller than hidden_size');
    expect(() => new nn.GRU(3, 4, { projSize: 2 } as object)).toThrow('proj_size argument is only supported for LSTM, not RNN or GRU');
    expect(() => new nn.LSTM(3, 4, { projSize: 2 }).forward(torch.ones(5, 2, 3), [torch.zeros(1, 2, 4), torch.zeros(1, 2, 4)]))
      .toThrow('Expected hidden[0] size (1, 2, 2), got [1, 2, 4]');
    expect(() => new nn.GRUCell(3, 2).forward(torch.ones(1, 2, 3))).toThrow('GRUCell: Expected input to be 1D or 2D, got 3D instead');
    expect(() => new nn.RNNCell(3, 2, { nonlinearity: 'gelu' as 'relu' })).toThrow('Unknown nonlinearity: gelu');
    expect(() => new nn.MultiheadAttention(5, 2)).toThrow('embed_dim must be divisible by num_heads');
    expect(() => new nn.Softmax2d().forward(torch.ones(2, 2))).toThrow('Softmax2d: expected input to be 3D or 4D, got 2D instead');
    expect(() => F.interpolate(torch.ones(1, 1, 2, 2), { size: 3, scaleFactor: 2 })).toThrow('only one of size or scale_factor should be defined');
    expect(() => F.interpolate(torch.ones(1, 1, 2), { size: 3, mode: 'bilinear' })).toThrow('Got 3D input, but bilinear mode needs 4D input');
    expect(() => F.interpolate(torch.ones(1, 1, 2), { size: 3, alignCorners: true }))
      .toThrow('align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear');
    expect(() => F.embeddingBag(torch.ones(2, 2, { dtype: torch.int64 }), torch.ones(3, 2), torch.tensor([0n])))
      .toThrow('if input is 2D, then offsets has to be None');
    expect(() => new nn.Embedding(3, 2, { paddingIdx: 3 })).toThrow('Padding_idx must be within num_embeddings');
    expect(() => F.binaryCrossEntropy(torch.ones(2, 1).mul(0.5), torch.ones(2)))
      .toThrow('Using a target size (torch.Size([2])) that is different to the input size (torch.Size([2, 1])) is deprecated. Please ensure they have the same size.');
    expect(() => new nn.Dropout1d(1.5)).toThrow('dropout probability has to be between 0 and 1, but got 1.5');
    expect(() => nn.init.kaimingUniform_(torch.empty(2, 2), { mode: 'fan_avg' as 'fan_in' })).toThrow('Mode fan_avg not supported, please use one of fan_in, fan_out');
    expect(() => nn.init.eye_(torch.empty(2, 2, 2))).toThrow('Only tensors with 2 dimensions are supported');
  });

  it('Embedding.fromPretrained holds the given rows, frozen unless asked', () => {
    const rows = torch.tensor([[1, 2], [3, 4], [5, 6]]);
    const frozen = nn.Embedding.fromPretrained(rows);
    expect(frozen.weight.requiresGrad).toBe(false);
    expect(frozen.forward(torch.tensor([2n, 0n])).tolist()).toEqual([[5, 6], [1, 2]]);
    const trainable = nn.Embedding.fromPretrained(rows, { freeze: false, paddingIdx: 1 });
    expect(trainable.weight.requiresGrad).toBe(true);
    expect(String(trainable)).toBe('Embedding(3, 2, padding_idx=1)');
  });

  it('max pooling with returnIndices returns [values, indices]', () => {
    const [values, indices] = new nn.MaxPool2d(2, { returnIndices: true }).forward(torch.arange(16).float().reshape(1, 1, 4, 4));
    expect(values.tolist()).toEqual([[[[5, 7], [13, 15]]]]);
    expect(torch.nn.functional.maxPool2d(torch.arange(16).float().reshape(1, 1, 4, 4), 2).tolist()).toEqual(values.tolist());
    expect(indices.tolist()).toEqual([[[[5, 7], [13, 15]]]]);
  });
});
