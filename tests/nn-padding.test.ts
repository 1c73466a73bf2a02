// The padding modules (ZeroPad, ConstantPad, ReflectionPad, ReplicationPad, CircularPad; 1-d to
// 3-d) and ChannelShuffle against PyTorch 2.11: tests/fixtures/nn-padding.json, written by
// nn-padding.py (outputs, input gradients and repr of every case, PyTorch's error messages);
// then what the table cannot hold (subclassing, the padding kept as given, JS type checks); and
// nn.LazyLinear (same fixture): in_features from the first input, then a Linear's init for the seed.
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';
import { construct, expectTensor, loadGolden, runModuleCase, tensorOf, type Encoded, type ModuleCase } from './nn-golden-harness';

const { nn } = torch;
const golden = loadGolden('nn-padding.json');
const cases = golden.cases as ModuleCase[];
const errors = golden.errors as { what: string; cls: string; args: unknown[]; shape: number[]; message: string }[];
interface LazyCase {
  seed: number; out_features: number; bias: boolean; dtype: string; input: Encoded; repr_before: string;
  repr_after: string; class_after: string; state: Record<string, Encoded>; output: Encoded;
}
const lazyCases = golden.lazy_linear as LazyCase[];
const reprs = golden.reprs as { cls: string; args: unknown[]; repr: string }[];

describe('padding modules and ChannelShuffle equal PyTorch (outputs, input gradients, repr)', () => {
  for (const c of cases) it(`nn.${c.name}`, () => runModuleCase(c));

  it('every module of the file has cases, batched and unbatched', () => {
    const kinds = ['ZeroPad', 'ConstantPad', 'ReflectionPad', 'ReplicationPad', 'CircularPad'];
    for (const d of [1, 2, 3]) {
      for (const kind of kinds) {
        const ranks = cases.filter((c) => c.cls === `${kind}${d}d`).map((c) => (c.inputs[0] as Encoded).shape.length);
        expect(new Set(ranks), `${kind}${d}d`).toEqual(new Set([d + 1, d + 2]));
      }
    }
    expect(cases.some((c) => c.cls === 'ChannelShuffle')).toBe(true);
  });

  it('the table holds input gradients of reflection and circular cases (compared above)', () => {
    for (const name of ['ReflectionPad2d (1, 2, 0, 2) on [2, 2, 3, 4]', 'CircularPad3d 1 on [2, 3, 3, 4]']) {
      const c = cases.find((k) => k.name === name);
      expect(c?.input_grads?.length, name).toBe(1);
    }
  });

  it.each(reprs)('repr of nn.$cls with a non-integer value: $repr', ({ cls, args, repr }) => {
    expect(String(construct(cls, args, {}))).toBe(repr);
  });
});

describe("PyTorch's messages for bad sizes and ranks", () => {
  it.each(errors)('nn.$cls: $what', ({ cls, args, shape, message }) => {
    const m = construct(cls, args, {});
    expect(() => m.forward(torch.ones(shape))).toThrow(message);
  });
});

describe('what the table cannot hold', () => {
  it('classes are subclassable and keep the padding as a tuple of 2*N ints', () => {
    class Crop extends nn.ZeroPad2d {
      constructor() { super(-1); }
      override forward(input: torch.Tensor): torch.Tensor { return super.forward(input).mul(2); }
    }
    const m = new Crop();
    expect(m).toBeInstanceOf(nn.ConstantPad2d);
    expect(m.padding).toEqual([-1, -1, -1, -1]);
    expect(m.value).toBe(0);
    expect(m.forward(torch.arange(16, { dtype: torch.float32 }).reshape(1, 4, 4)).tolist()).toEqual([[[10, 12], [18, 20]]]);
    expect(String(m)).toBe('Crop((-1, -1, -1, -1))');
    expect(new nn.ReplicationPad3d(2).padding).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('an array padding is copied, not kept by reference', () => {
    const padding = [1, 2];
    const m = new nn.CircularPad1d(padding);
    padding[0] = 5;
    expect(m.padding).toEqual([1, 2]);
  });

  it('padding modules have no parameters or buffers, and keep the dtype', () => {
    const m = new nn.ReflectionPad1d(1);
    expect(m.parameters()).toEqual([]);
    expect(m.stateDict()).toEqual({});
    const y = m.forward(torch.ones(1, 3, { dtype: torch.float64 }));
    expect([y.dtype, y.shape]).toEqual([torch.float64, [1, 5]]);
    const z = new nn.ConstantPad1d(1, 9).forward(torch.tensor([[1n, 2n]]));
    expect([z.dtype, z.tolist()]).toEqual([torch.int64, [[9, 1, 2, 9]]]);
  });

  it('a padding that is not an integer or an array of integers is a TypeError', () => {
    expect(() => new nn.ReflectionPad2d(1.5)).toThrow(new TypeError('expected an integer or an array of integers for padding, got 1.5'));
    expect(() => new nn.ZeroPad1d([1, '2'] as never)).toThrow('expected an integer or an array of integers for padding, got [1,"2"]');
  });
});

describe('nn.LazyLinear infers in_features at the first forward, as PyTorch', () => {
  it.each(lazyCases)('LazyLinear($out_features, bias $bias, $dtype) on $input.shape', (c) => {
    torch.manualSeed(c.seed);
    const dtype = (torch as unknown as Record<string, torch.DType>)[c.dtype];
    const m = new nn.LazyLinear(c.out_features, { bias: c.bias, dtype });
    expect(String(m)).toBe(c.repr_before);
    expect(m.inFeatures).toBe(0);
    expect(m.hasUninitializedParams()).toBe(true);
    const params = m.parameters();
    expect(params.every((p) => p instanceof nn.UninitializedParameter && p.requiresGrad)).toBe(true);
    expect(Object.keys(m.stateDict())).toEqual(Object.keys(c.state));
    const y = m.forward(tensorOf(c.input));
    expect(String(m)).toBe(c.repr_after);
    expect(m.constructor.name).toBe(c.class_after);
    expect(m).toBeInstanceOf(nn.Linear);
    // The same Parameter objects, materialized in place (an optimizer made before keeps them).
    expect(m.parameters()).toEqual(params);
    expect(params.every((p) => p.constructor === nn.Parameter && p.requiresGrad && p.dtype === dtype)).toBe(true);
    for (const [k, e] of Object.entries(c.state)) expectTensor(m.stateDict()[k], e, `initial ${k}`, { atol: 1e-6, rtol: 1e-6 });
    expectTensor(y, c.output, 'output', { atol: 1e-5, rtol: 1e-5 });
    y.sum().backward();
    expect(m.weight.grad?.shape).toEqual(m.weight.shape);
  });

  it('an uninitialized parameter has no shape, with PyTorch\'s message, and prints as PyTorch', () => {
    const m = new nn.LazyLinear(3);
    expect(() => m.weight.shape).toThrow("Can't access the shape of an uninitialized parameter or buffer.");
    expect(String(m.weight)).toBe('<UninitializedParameter>');
    expect(m.bias).toBeInstanceOf(nn.UninitializedParameter);
    expect(new nn.LazyLinear(3, { bias: false }).bias).toBe(null);
  });

  it('later inputs with another width fail as a Linear does; a subclass keeps its class', () => {
    const m = new nn.LazyLinear(2);
    m.forward(torch.ones(1, 4));
    expect(() => m.forward(torch.ones(1, 5))).toThrow('mat1 and mat2 shapes cannot be multiplied (1x5 and 4x2)');
    class Scaled extends nn.LazyLinear {
      override forward(input: torch.Tensor): torch.Tensor { return super.forward(input).mul(0).add(1); }
    }
    const s = new Scaled(2);
    expect(s.forward(torch.ones(3, 4)).tolist()).toEqual([[1, 1], [1, 1], [1, 1]]);
    expect(s).toBeInstanceOf(Scaled);
    expect(String(s)).toBe('Scaled(in_features=4, out_features=2, bias=True)');
  });

  it('an optimizer made before the first forward trains the materialized parameters', () => {
    const m = new nn.LazyLinear(1);
    const opt = new torch.optim.SGD(m.parameters(), { lr: 0.1 });
    m.forward(torch.ones(2, 3)).sum().backward();
    const before = m.weight.clone();
    opt.step();
    expect(m.weight.sub(before).tolist()).toEqual([[-0.2, -0.2, -0.2].map((v) => expect.closeTo(v, 6))]);
  });

  it('loadStateDict materializes from the state dict\'s shapes, and Module.to moves it first', () => {
    const source = new nn.Linear(3, 2);
    const m = new nn.LazyLinear(2).to(torch.float64);
    expect(m.weight.dtype).toBe(torch.float64);
    m.loadStateDict(source.stateDict());
    expect([m.inFeatures, m.weight.shape, m.bias!.shape, m.weight.dtype]).toEqual([3, [2, 3], [2], torch.float64]);
    expect(m.weight.tolist()).toEqual(source.weight.double().tolist());
    expect(m.forward(torch.ones(1, 3, { dtype: torch.float64 })).shape).toEqual([1, 2]);
  });

  it('a 0-d input cannot give in_features', () => {
    expect(() => new nn.LazyLinear(2).forward(torch.tensor(1))).toThrow('LazyLinear: expected an input with at least 1 dimension to infer in_features, got a 0-d tensor');
  });
});
