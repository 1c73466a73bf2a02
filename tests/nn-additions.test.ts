// nn.TransformerDecoderLayer/Decoder, nn.Transformer, nn.ParameterList/ParameterDict and nn.MaxUnpool1d/2d/3d
// (with F.maxUnpool*) against PyTorch 2.11: tests/fixtures/nn-golden-additions.json, written by
// nn-golden-additions.py; then what a table cannot say (containers' methods, deep copies, errors).
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';
import { expectTensor, loadGolden, runFunctionalCase, runModuleCase, type FunctionalCase, type ModuleCase } from './nn-golden-harness';

const { nn } = torch;
const F = nn.functional;
const golden = loadGolden('nn-golden-additions.json');
const cases = golden.cases as (ModuleCase | FunctionalCase)[];

describe('new nn layers: initialization for a seed, state dict, repr, outputs and gradients equal PyTorch', () => {
  for (const c of cases.filter((k): k is ModuleCase => k.kind === 'module')) {
    it(c.name, () => runModuleCase(c));
  }
  for (const c of cases.filter((k): k is FunctionalCase => k.kind === 'functional')) it(`F.${c.name}`, () => runFunctionalCase(c));
});

describe('transformer decoder and nn.Transformer', () => {
  it('generateSquareSubsequentMask equals PyTorch', () => {
    expectTensor(nn.Transformer.generateSquareSubsequentMask(4), golden.causal_mask_4, 'mask');
    expect(nn.Transformer.generateSquareSubsequentMask(2, { dtype: torch.float64 }).dtype).toBe(torch.float64);
  });

  it('TransformerDecoder copies the layer: same initial weights, independent parameters', () => {
    const layer = new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 6 });
    const decoder = new nn.TransformerDecoder(layer, 3);
    const [a, b] = [decoder.layers.at(0), decoder.layers.at(2)] as torch.nn.TransformerDecoderLayer[];
    expect(a).not.toBe(layer);
    expect(a.linear1.weight.equal(layer.linear1.weight)).toBe(true);
    expect(b.selfAttn.inProjWeight!.equal(layer.selfAttn.inProjWeight!)).toBe(true);
    torch.noGrad(() => a.linear1.weight.fill_(0));
    expect(b.linear1.weight.abs().sum().item()).toBeGreaterThan(0);
    expect(decoder.parameters().length).toBe(3 * layer.parameters().length);
    expect(Object.keys(decoder.stateDict())[0]).toBe('layers.0.self_attn.in_proj_weight');
  });

  it('a decoder trains: gradients reach every parameter', () => {
    torch.manualSeed(0);
    const model = new nn.Transformer(8, 2, { numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, dropout: 0.1 });
    const opt = new torch.optim.Adam(model.parameters(), { lr: 1e-2 });
    const src = torch.randn(5, 3, 8), tgt = torch.randn(4, 3, 8);
    const mask = nn.Transformer.generateSquareSubsequentMask(4);
    const loss = () => model.forward(src, tgt, { tgtMask: mask }).pow(2).mean();
    const first = loss();
    first.backward();
    expect(model.parameters().every((p) => p.grad !== null)).toBe(true);
    for (let i = 0; i < 20; i++) {
      opt.zeroGrad();
      const l = loss();
      l.backward();
      opt.step();
    }
    model.eval();
    expect(torch.noGrad(() => loss()).item()).toBeLessThan(first.item());
  });

  it('refuses what PyTorch refuses', () => {
    const layer = new nn.TransformerDecoderLayer(4, 2);
    expect(() => layer.forward(torch.ones(3, 2, 4), torch.ones(3, 2, 4), { tgtIsCausal: true }))
      .toThrow('Need attn_mask if specifying the is_causal hint');
    expect(() => new nn.TransformerDecoderLayer(4, 2, { activation: 'tanh' as 'relu' })).toThrow('activation should be relu/gelu, not tanh');
    expect(() => new nn.TransformerDecoderLayer(4, 3)).toThrow('embed_dim must be divisible by num_heads');
    const model = new nn.Transformer(4, 2, { numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 4 });
    expect(() => model.forward(torch.ones(3, 2, 4), torch.ones(3, 1, 4))).toThrow('the batch number of src and tgt must be equal');
    expect(() => model.forward(torch.ones(3, 2, 4), torch.ones(3, 2, 5))).toThrow('the feature number of src and tgt must be equal to d_model');
  });
});

describe('ParameterList and ParameterDict', () => {
  class Holder extends nn.Module {
    scales = new nn.ParameterList([torch.ones(2), torch.zeros(3)]);
    extra = new nn.ParameterDict(new Map([['b', torch.ones(1)], ['a', torch.ones(2)]]));
  }

  it('register their parameters under PyTorch names inside a model', () => {
    const m = new Holder();
    expect(Object.keys(m.stateDict())).toEqual(['scales.0', 'scales.1', 'extra.b', 'extra.a']);
    expect(m.namedParameters().map(([n]) => n)).toEqual(['scales.0', 'scales.1', 'extra.b', 'extra.a']);
    expect(m.parameters().every((p) => p instanceof nn.Parameter && p.requiresGrad)).toBe(true);
    m.loadStateDict({ 'scales.0': torch.full([2], 5), 'scales.1': torch.ones(3), 'extra.b': torch.ones(1), 'extra.a': torch.ones(2) });
    expect(m.scales.at(0).tolist()).toEqual([5, 5]);
  });

  it('ParameterList: append, extend, at (negative too), set, iteration, length', () => {
    const p = new nn.Parameter(torch.ones(2), false);
    const list = new nn.ParameterList().append(p).extend([torch.zeros(1), torch.ones(3)]);
    expect(list.length).toBe(3);
    expect(list.at(0)).toBe(p);
    expect(list.at(0).requiresGrad).toBe(false);
    expect(list.at(-1).shape).toEqual([3]);
    expect(list.at(1)).toBeInstanceOf(nn.Parameter);
    list.set(-2, torch.full([4], 2.5));
    expect([...list].map((t) => t.shape)).toEqual([[2], [4], [3]]);
    expect(() => list.at(3)).toThrow('index 3 is out of range');
    expect(() => list.extend(torch.ones(2) as never)).toThrow('ParameterList.extend should be called with an iterable, but got Tensor');
    expect(() => list.append(5 as never)).toThrow('expected a Tensor or Parameter for ParameterList.append, got number');
    expect(() => list.forward()).toThrow('ParameterList should not be called.');
  });

  it('slice: Python\'s container[start:end], the same objects, keys as PyTorch 2.11 gives them', () => {
    const seq = new nn.Sequential(new nn.Linear(1, 1), new nn.ReLU(), new nn.Linear(1, 2));
    const tail = seq.slice(1);
    expect(tail).toBeInstanceOf(nn.Sequential);
    expect(tail.at(0)).toBe(seq.at(1));
    expect(Object.keys(tail.stateDict())).toEqual(['2.weight', '2.bias']); // Sequential keeps names
    const named = new nn.Sequential({ conv_1: new nn.Linear(1, 1), act: new nn.ReLU() });
    expect(Object.keys(named.slice(0, 1).stateDict())).toEqual(['conv_1.weight', 'conv_1.bias']);
    const mlist = new nn.ModuleList([new nn.Linear(1, 1), new nn.ReLU(), new nn.Linear(1, 2)]);
    expect(Object.keys(mlist.slice(-2).stateDict())).toEqual(['1.weight', '1.bias']); // renumbered
    const plist = new nn.ParameterList([torch.ones(1), torch.zeros(2), torch.ones(3)]);
    const middle = plist.slice(1, 3);
    expect(middle).toBeInstanceOf(nn.ParameterList);
    expect(Object.keys(middle.stateDict())).toEqual(['0', '1']);
    expect(middle.at(0)).toBe(plist.at(1));
    expect(plist.slice(5).length).toBe(0);
  });

  it('ParameterDict: order, get, set, has, pop, clear, iteration over keys, deep copy', () => {
    const d = new nn.ParameterDict({ z: torch.ones(1), b: torch.ones(2) });
    expect(d.keys()).toEqual(['b', 'z']); // a plain object is sorted, as PyTorch sorts a dict
    d.set('a', torch.zeros(3));
    expect([...d]).toEqual(['b', 'z', 'a']);
    expect(d.get('a')!.shape).toEqual([3]);
    expect(d.get('missing')).toBeUndefined();
    expect(d.get('missing', null)).toBeNull();
    expect(d.has('z')).toBe(true);
    expect(d.pop('z').shape).toEqual([1]);
    expect(d.length).toBe(2);
    expect(Object.keys(d.stateDict())).toEqual(['b', 'a']);
    const copy = torch.nn.deepCopy(d);
    copy.set('c', torch.ones(1));
    expect([d.length, copy.length]).toEqual([2, 3]);
    expect(copy.get('b')).not.toBe(d.get('b'));
    d.clear();
    expect([d.length, d.parameters().length, String(d)]).toEqual([0, 0, 'ParameterDict()']);
    expect(() => d.set('a.b', torch.ones(1))).toThrow('parameter name can\'t contain "."');
    expect(() => d.set('training', torch.ones(1))).toThrow("attribute 'training' already exists");
    expect(() => d.set('x', [1] as never)).toThrow("expected a Tensor or Parameter for ParameterDict key 'x', got Array");
    expect(() => new nn.ParameterDict([['a']] as never)).toThrow('ParameterDict update sequence element #0 has length 1; 2 is required');
  });
});

describe('max unpooling', () => {
  it('undoes MaxPool2d({ returnIndices: true }) at the maxima, zeros elsewhere', () => {
    const input = torch.arange(16, { dtype: torch.float32 }).reshape(1, 1, 4, 4);
    const [values, indices] = new nn.MaxPool2d(2, { returnIndices: true }).forward(input);
    const restored = new nn.MaxUnpool2d(2).forward(values, indices);
    expect(restored.tolist()).toEqual([[[[0, 0, 0, 0], [0, 5, 0, 7], [0, 0, 0, 0], [0, 13, 0, 15]]]]);
    expect(F.maxUnpool2d(values, indices, 2, { outputSize: [5, 5] }).shape).toEqual([1, 1, 5, 5]);
  });

  it('refuses an output size out of range, with PyTorch\'s messages', () => {
    const [values, indices] = F.maxPool1d(torch.ones(1, 1, 6), 2, { returnIndices: true });
    expect(() => F.maxUnpool1d(values, indices, 2, { outputSize: [9] })).toThrow('invalid output_size "[9]" (dim 0 must be between 4 and 8)');
    expect(() => F.maxUnpool1d(values, indices, 2, { outputSize: [1, 2] }))
      .toThrow("output_size should be a sequence containing 1 or 3 elements, but it has a length of '2'");
  });
});
