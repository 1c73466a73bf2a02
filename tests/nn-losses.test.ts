// Every torch.nn loss, as a module and through nn.functional, with its options and reductions,
// against PyTorch 2.11: tests/fixtures/nn-golden-losses.json, written by nn-golden-losses.py.
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';
import { loadGolden, runFunctionalCase, runModuleCase, type FunctionalCase, type ModuleCase } from './nn-golden-harness';

const { nn } = torch;
const F = nn.functional;
const cases = loadGolden('nn-golden-losses.json').cases as (ModuleCase | FunctionalCase)[];

describe('loss modules: values and input gradients equal PyTorch', () => {
  for (const c of cases.filter((k): k is ModuleCase => k.kind === 'module')) it(c.name, () => runModuleCase(c));
});

describe('losses through nn.functional equal PyTorch', () => {
  for (const c of cases.filter((k): k is FunctionalCase => k.kind === 'functional')) it(c.name, () => runFunctionalCase(c));
});

describe('loss modules hold their weights as PyTorch does', () => {
  it('class weights and pos_weight are buffers: in the state dict, cast by .double(), used after', () => {
    const weight = torch.tensor([1, 2, 0.5]);
    const ce = new nn.CrossEntropyLoss({ weight });
    expect(Object.keys(ce.stateDict())).toEqual(['weight']);
    const bce = new nn.BCEWithLogitsLoss({ posWeight: torch.tensor([2, 3]) });
    expect(Object.keys(bce.stateDict())).toEqual(['pos_weight']);
    expect(Object.keys(new nn.MSELoss().stateDict())).toEqual([]);
    ce.double();
    expect(ce.weight!.dtype).toBe(torch.float64);
    const logits = torch.tensor([[1, 2, 0.5], [0.1, -0.3, 0.8]], { dtype: torch.float64 });
    const expected = F.crossEntropy(logits, torch.tensor([2n, 1n]), { weight: weight.double() });
    expect(ce.forward(logits, torch.tensor([2n, 1n])).item()).toBeCloseTo(expected.item() as number, 12);
  });

  it('refuses what PyTorch refuses, with its messages', () => {
    const a = torch.ones(3);
    expect(() => F.mseLoss(a, a, { reduction: 'avg' as 'mean' })).toThrow('avg is not a valid value for reduction');
    expect(() => F.gaussianNllLoss(a, a, torch.ones(2))).toThrow('var is of incorrect size');
    expect(() => F.gaussianNllLoss(a, a, -1)).toThrow('var has negative entry/entries');
    expect(() => F.tripletMarginLoss(a, a, a, { margin: 0 })).toThrow('margin must be greater than 0, got 0');
    expect(() => new nn.MultiMarginLoss({ p: 3 })).toThrow('only p == 1 and p == 2 supported');
    expect(() => F.marginRankingLoss(a, a, torch.ones(3, 1)))
      .toThrow('margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: torch.Size([3]), input2: torch.Size([3]), target: torch.Size([3, 1]) ');
    expect(() => F.multilabelSoftMarginLoss(a, a, { reduction: 'avg' as 'mean' })).toThrow('avg is not valid');
  });
});
