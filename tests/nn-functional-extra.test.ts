// The nn.functional names added last (max pooling with indices, fractional and lp pooling, local
// response and RMS normalization, affineGrid, gridSample, gumbelSoftmax, tripletMarginWithDistanceLoss)
// and their modules, against PyTorch 2.11: tests/fixtures/nn-functional-extra.json, written by
// nn-functional-extra.py; then what a table cannot hold (JS distance functions, fixed random
// samples, properties of random outputs) and PyTorch's messages for bad arguments.
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';
import { expectTensor, loadGolden, runFunctionalCase, runModuleCase, tensorOf, type Encoded, type FunctionalCase, type ModuleCase } from './nn-golden-harness';

const { nn } = torch;
const F = nn.functional;
const golden = loadGolden('nn-functional-extra.json');
const cases = golden.cases as (ModuleCase | FunctionalCase)[];

describe('new nn.functional names and modules equal PyTorch (outputs, gradients, repr, state dict)', () => {
  for (const c of cases.filter((k): k is FunctionalCase => k.kind === 'functional')) it(`F.${c.name}`, () => runFunctionalCase(c));
  for (const c of cases.filter((k): k is ModuleCase => k.kind === 'module')) it(`nn.${c.name}`, () => runModuleCase(c));
});

describe('what the table cannot hold', () => {
  const [a, p, n] = (golden.triplet_inputs as Encoded[]).map(tensorOf);

  it('tripletMarginWithDistanceLoss takes a JS distance function (gradient too)', () => {
    const anchor = a.clone().requiresGrad_(true);
    const cosine = F.tripletMarginWithDistanceLoss(anchor, p, n, {
      distanceFunction: (s, t) => F.cosineSimilarity(s, t).neg().add(1), margin: 0.3,
    });
    expectTensor(cosine, golden.triplet_cosine, 'cosine loss');
    cosine.backward();
    expectTensor(anchor.grad, golden.triplet_cosine_grad, 'gradient of the anchor');
    const linf = F.tripletMarginWithDistanceLoss(a, p, n, {
      distanceFunction: (s, t) => s.sub(t).abs().max(1, true)[0].squeeze(1), swap: true, reduction: 'none',
    });
    expectTensor(linf, golden.triplet_linf, 'l-infinity loss');
  });

  it('nn.TripletMarginWithDistanceLoss takes a function or a distance module', () => {
    const fn = new nn.TripletMarginWithDistanceLoss({ distanceFunction: (s, t) => F.cosineSimilarity(s, t).neg().add(1), margin: 0.3 });
    expectTensor(fn.forward(a, p, n), golden.triplet_cosine, 'loss with a function');
    expect(String(fn)).toBe('TripletMarginWithDistanceLoss()');
    const byModule = new nn.TripletMarginWithDistanceLoss({ distanceFunction: new nn.PairwiseDistance({ p: 1 }) });
    expect(byModule.forward(a, p, n).item()).toBeCloseTo(F.tripletMarginWithDistanceLoss(a, p, n, {
      distanceFunction: (s, t) => F.pairwiseDistance(s, t, 1),
    }).item() as number, 6);
    expect(Object.keys(byModule.stateDict())).toEqual([]);
  });

  it('fractionalMaxPool2d with fixed randomSamples equals PyTorch, indices int64', () => {
    const [values, indices] = F.fractionalMaxPool2d(tensorOf(golden.fractional_input), 2,
      { outputSize: 3, returnIndices: true, randomSamples: tensorOf(golden.fractional_samples) });
    expectTensor(values, golden.fractional_fixed[0], 'values');
    expectTensor(indices, golden.fractional_fixed[1], 'indices');
    expect(indices.dtype).toBe(torch.int64);
  });

  it('nn.FractionalMaxPool3d keeps its random samples as the buffer _random_samples', () => {
    const m = new nn.FractionalMaxPool3d(2, { outputRatio: 0.5, randomSamples: tensorOf(golden.fractional3_samples) });
    expect(Object.keys(m.stateDict())).toEqual(golden.fractional3_state);
    expectTensor(m.forward(tensorOf(golden.fractional3_input)), golden.fractional3_fixed, 'output');
    expect(Object.keys(new nn.FractionalMaxPool2d(2, { outputSize: 2 }).stateDict())).toEqual([]);
  });

  it('gumbelSoftmax: soft samples sum to 1, hard ones are one-hot with the soft gradient', () => {
    torch.manualSeed(3);
    const logits = torch.randn(6, 4).requiresGrad_(true);
    const soft = F.gumbelSoftmax(logits, { tau: 0.7 });
    expect(soft.sum(-1).sub(1).abs().max().item()).toBeLessThan(1e-6);
    const hard = F.gumbelSoftmax(logits, { hard: true });
    expect(hard.shape).toEqual([6, 4]);
    expect(hard.eq(0).logicalOr(hard.eq(1)).all().item()).toBe(true);
    expect(hard.sum(-1).tolist()).toEqual([1, 1, 1, 1, 1, 1]);
    hard.mul(torch.arange(4)).sum().backward();
    expect(logits.grad!.abs().sum().item()).toBeGreaterThan(0);
  });

  it('the WithIndices forms equal the returnIndices forms', () => {
    const input = torch.randn(1, 2, 6, 6);
    const [v, i] = F.maxPool2dWithIndices(input, 2);
    const [v2, i2] = F.maxPool2d(input, 2, { returnIndices: true });
    expect(v.equal(v2) && i.equal(i2)).toBe(true);
    const [av, ai] = F.adaptiveMaxPool2dWithIndices(input, 3);
    expect(av.shape).toEqual([1, 2, 3, 3]);
    expect(ai.dtype).toBe(torch.int64);
  });

  it('rmsNorm and the modules keep float64', () => {
    expect(F.rmsNorm(torch.ones(2, 3, { dtype: torch.float64 }), [3]).dtype).toBe(torch.float64);
    expect(new nn.LPPool2d(2, 2).forward(torch.ones(1, 1, 4, 4, { dtype: torch.float64 })).dtype).toBe(torch.float64);
    expect(new nn.RMSNorm(3, { dtype: torch.float64 }).weight!.dtype).toBe(torch.float64);
    expect(Object.keys(new nn.RMSNorm([2, 3]).stateDict())).toEqual(['weight']);
    expect(Object.keys(new nn.RMSNorm(3, { elementwiseAffine: false }).stateDict())).toEqual([]);
  });
});

describe("PyTorch's messages for bad arguments", () => {
  const t4 = torch.ones(1, 1, 4, 4);
  const errors = golden.errors as Record<string, string>;
  const thunks: Record<string, () => unknown> = {
    'fractional no size': () => F.fractionalMaxPool2d(t4, 2),
    'fractional3 no size': () => F.fractionalMaxPool3d(torch.ones(1, 1, 4, 4, 4), 2),
    'fractional ratio of 3': () => F.fractionalMaxPool2d(t4, 2, { outputRatio: [0.5, 0.5, 0.5] }),
    'module no size': () => new nn.FractionalMaxPool2d(2),
    'module both': () => new nn.FractionalMaxPool2d(2, { outputSize: 2, outputRatio: 0.5 }),
    'module ratio': () => new nn.FractionalMaxPool2d(2, { outputRatio: 1.5 }),
    'module3 kernel': () => new nn.FractionalMaxPool3d(0, { outputSize: 2 }),
    'lrn 2-D': () => F.localResponseNorm(torch.ones(2, 3), 2),
    'affine int theta': () => F.affineGrid(torch.ones(1, 2, 3, { dtype: torch.int64 }), [1, 1, 2, 2]),
    'affine shape': () => F.affineGrid(torch.ones(1, 3, 3), [1, 1, 2, 2]),
    'affine shape 3d': () => F.affineGrid(torch.ones(1, 2, 3), [1, 1, 2, 2, 2]),
    'affine size': () => F.affineGrid(torch.ones(1, 2, 3), [1, 2]),
    'affine zero': () => F.affineGrid(torch.ones(1, 2, 3), [1, 1, 0, 2]),
    'grid mode': () => F.gridSample(t4, torch.zeros(1, 2, 2, 2), { mode: 'area' as never }),
    'grid padding': () => F.gridSample(t4, torch.zeros(1, 2, 2, 2), { paddingMode: 'wrap' as never }),
    'triplet reduction': () => F.tripletMarginWithDistanceLoss(t4, t4, t4, { reduction: 'avg' as never }),
    'triplet margin': () => F.tripletMarginWithDistanceLoss(t4, t4, t4, { margin: 0 }),
    'triplet dims': () => F.tripletMarginWithDistanceLoss(torch.ones(2, 3), torch.ones(2, 3), torch.ones(3)),
    'module margin': () => new nn.TripletMarginWithDistanceLoss({ margin: -1.5 }),
  };

  it('covers every message the fixture holds', () => expect(Object.keys(thunks).sort()).toEqual(Object.keys(errors).sort()));
  for (const [name, thunk] of Object.entries(thunks)) {
    it(name, () => {
      let message = '';
      try { thunk(); } catch (e) { message = (e as Error).message; }
      expect(message).toBe(errors[name]);
    });
  }
});
