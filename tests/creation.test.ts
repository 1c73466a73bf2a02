import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

describe('torch.tensor from JS data', () => {
  it('infers float32 from numbers, with the nested shape', () => {
    const t = torch.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe(torch.float32);
    expect(t.tolist()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it('infers bool from booleans and int64 from bigints', () => {
    expect(torch.tensor([true, false]).dtype).toBe(torch.bool);
    expect(torch.tensor([true, false]).tolist()).toEqual([true, false]);
    const big = torch.tensor([1n, 2n, 2n ** 40n]);
    expect(big.dtype).toBe(torch.int64);
    expect(big.tolist()).toEqual([1, 2, 2 ** 40]);
  });

  it('honours an explicit dtype and keeps float64 precision', () => {
    const t = torch.tensor([0.1, 0.2], { dtype: torch.float64 });
    expect(t.dtype).toBe(torch.float64);
    expect(t.tolist()).toEqual([0.1, 0.2]);
    expect(torch.tensor([1.7, -2.7], { dtype: torch.int32 }).tolist()).toEqual([1, -2]);
  });

  it('takes the dtype of a TypedArray and a Buffer', () => {
    expect(torch.tensor(new Float64Array([1, 2])).dtype).toBe(torch.float64);
    expect(torch.tensor(new Int32Array([1, 2])).dtype).toBe(torch.int32);
    expect(torch.tensor(new BigInt64Array([1n])).dtype).toBe(torch.int64);
    const b = torch.tensor(Buffer.from([1, 2, 255]));
    expect(b.dtype).toBe(torch.uint8);
    expect(b.tolist()).toEqual([1, 2, 255]);
  });

  it('makes 0-d tensors from numbers and empty tensors from []', () => {
    const s = torch.tensor(3.5);
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(3.5);
    expect(torch.tensor([]).shape).toEqual([0]);
  });

  it('rejects ragged and non-numeric arrays with a message saying where', () => {
    expect(() => torch.tensor([[1, 2], [3]])).toThrow(/ragged nested array: expected a sequence of length 2 at \[1\], got length 1/);
    expect(() => torch.tensor([1, 'a' as unknown as number])).toThrow(/expected numbers, booleans or bigints, got string at \[1\]/);
    expect(() => torch.tensor([[1], 2 as unknown as number[]])).toThrow(/ragged/);
  });

  // PyTorch 2.11's answers, from Python: torch.tensor([v], dtype=d).
  it('refuses numbers an integer dtype cannot hold, as PyTorch does, instead of wrapping them', () => {
    const overflow = (v: number, d: torch.DType, name: string) => expect(() => torch.tensor([1, v], { dtype: d }))
      .toThrow(new RegExp(`value ${v} \\(element 1\\) cannot be converted to type ${name} without overflow`));
    overflow(300, torch.uint8, 'uint8');
    overflow(255.9, torch.uint8, 'uint8');
    overflow(-128.5, torch.int8, 'int8');
    overflow(2 ** 31, torch.int32, 'int32');
    overflow(NaN, torch.int64, 'int64');
    overflow(Infinity, torch.int32, 'int32');
    overflow(2 ** 63, torch.int64, 'int64');
    // What PyTorch accepts: truncation toward zero, negatives wrapping into unsigned types,
    // and anything for bool and the floating types (1e6 becomes inf in float16).
    expect(torch.tensor([2.5, -2.7], { dtype: torch.int32 }).tolist()).toEqual([2, -2]);
    expect(torch.tensor([-1], { dtype: torch.uint8 }).tolist()).toEqual([255]);
    expect(torch.tensor([2, 0], { dtype: torch.bool }).tolist()).toEqual([true, false]);
    expect(torch.tensor([1e6, NaN], { dtype: torch.float16 }).tolist()).toEqual([Infinity, NaN]);
  });

  it('copies: changing the source array does not change the tensor', () => {
    const a = new Float32Array([1, 2, 3]);
    const t = torch.tensor(a);
    a[0] = 100;
    expect(t.tolist()).toEqual([1, 2, 3]);
  });

  it('sets requiresGrad', () => {
    expect(torch.tensor([1, 2], { requiresGrad: true }).requiresGrad).toBe(true);
  });
});

describe('zero-copy fromArray / fromBuffer / typedArrayView', () => {
  it('shares memory both ways', () => {
    const a = new Float32Array([1, 2, 3, 4, 5, 6]);
    const t = torch.fromArray(a, [2, 3]);
    a[0] = 10;
    expect(t.tolist()).toEqual([[10, 2, 3], [4, 5, 6]]);
    t.mul_(2);
    expect(Array.from(a)).toEqual([20, 4, 6, 8, 10, 12]);
  });

  it('reads a Buffer as another dtype', () => {
    const buf = Buffer.alloc(8);
    buf.writeFloatLE(1.5, 0);
    buf.writeFloatLE(-2, 4);
    const t = torch.fromBuffer(buf, torch.float32);
    expect(t.tolist()).toEqual([1.5, -2]);
    expect(() => torch.fromBuffer(buf.subarray(1, 5), torch.float32)).toThrow(/byte offset 1 is not a multiple of 4/);
  });

  it('typedArrayView writes through to the tensor; toTypedArray copies', () => {
    const t = torch.zeros(3);
    const view = t.typedArrayView() as Float32Array;
    view[1] = 7;
    expect(t.tolist()).toEqual([0, 7, 0]);
    const copy = t.toTypedArray() as Float32Array;
    copy[0] = 9;
    expect(t.tolist()).toEqual([0, 7, 0]);
  });

  it("typedArrayView of a shared tensor is a view of the caller's own buffer, at the right offset", () => {
    const buffer = new ArrayBuffer(40);
    const a = new Float32Array(buffer, 4, 8);
    a.forEach((_, i) => { a[i] = i; });
    const t = torch.fromArray(a, [2, 4]);
    const whole = t.typedArrayView() as Float32Array;
    expect(whole.buffer).toBe(buffer);
    expect([whole.byteOffset, whole.length]).toEqual([4, 8]);
    const row = t.select(0, 1).typedArrayView() as Float32Array;
    expect(row.buffer).toBe(buffer);
    expect(row.byteOffset).toBe(20);
    expect(Array.from(row)).toEqual([4, 5, 6, 7]);
    row[0] = 40;
    expect(a[4]).toBe(40);
    // The view outlives the tensor: it holds the buffer, as any JS view does.
    t.dispose();
    expect(Array.from(whole.subarray(4, 6))).toEqual([40, 5]);
  });
});

describe('factories', () => {
  it('take sizes as varargs or an array, and options', () => {
    expect(torch.zeros(2, 3).shape).toEqual([2, 3]);
    expect(torch.ones([2, 3]).shape).toEqual([2, 3]);
    expect(torch.zeros(4).shape).toEqual([4]);
    const t = torch.ones(2, 2, { dtype: torch.float64 });
    expect(t.dtype).toBe(torch.float64);
    expect(t.sum().item()).toBe(4);
    expect(torch.full([2], 7).tolist()).toEqual([7, 7]);
    expect(torch.eye(2).tolist()).toEqual([[1, 0], [0, 1]]);
    expect(torch.empty(3, { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('arange and linspace follow PyTorch dtypes and values', () => {
    const a = torch.arange(5);
    expect(a.dtype).toBe(torch.int64);
    expect(a.tolist()).toEqual([0, 1, 2, 3, 4]);
    expect(torch.arange(0, 1, 0.25).tolist()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(torch.linspace(0, 1, 5).tolist()).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('*Like factories copy shape and dtype', () => {
    const x = torch.ones(2, 3, { dtype: torch.int32 });
    const z = torch.zerosLike(x);
    expect(z.shape).toEqual([2, 3]);
    expect(z.dtype).toBe(torch.int32);
    expect(torch.onesLike(x, { dtype: torch.float64 }).dtype).toBe(torch.float64);
  });

  it('random numbers equal PyTorch in Python for the same seed', () => {
    torch.manualSeed(0);
    const r = torch.rand(3).tolist() as number[];
    [0.49625658988952637, 0.7682217955589294, 0.08847743272781372].forEach((v, i) => expect(r[i]).toBeCloseTo(v, 7));
    torch.manualSeed(0);
    const n = torch.randn(2, 2).tolist() as number[][];
    expect(n[0][0]).toBeCloseTo(1.5409960746765137, 6);
    expect(n[1][0]).toBeCloseTo(-2.1787893772125244, 6);
    torch.manualSeed(42);
    expect(torch.randint(0, 10, [5]).tolist()).toEqual([2, 7, 6, 4, 6]);
  });
});

describe('dtype and device', () => {
  it('converts with to() and the shorthand methods', () => {
    const x = torch.tensor([1.5, 2.5]);
    expect(x.to(torch.float64).dtype).toBe(torch.float64);
    expect(x.double().dtype).toBe(torch.float64);
    expect(x.long().tolist()).toEqual([1, 2]);
    expect(x.half().dtype).toBe(torch.float16);
    expect(x.bfloat16().dtype).toBe(torch.bfloat16);
    expect(x.to('cpu').device.type).toBe('cpu');
    expect(x.to(torch.device('cpu'), torch.float64).dtype).toBe(torch.float64);
  });

  it('names devices like PyTorch', () => {
    expect(torch.device('cuda:1').index).toBe(1);
    expect(torch.device('cuda', 0).toString()).toBe('cuda:0');
    expect(String(torch.ones(1).device)).toBe('cpu');
    expect(String(torch.float32)).toBe('torch.float32');
  });

  // Checked on the 'meta' device, which every build has; with a GPU it is how 'cuda' is used.
  it('setDefaultDevice moves factories and new modules there, as torch.set_default_device does', () => {
    const cpu = torch.ones(2);
    try {
      torch.setDefaultDevice('meta');
      expect(String(torch.getDefaultDevice())).toBe('meta');
      const made = [torch.zeros(2, 3), torch.zeros([2, 3]), torch.randn(4), torch.arange(5), torch.full([2], 7),
        torch.eye(2), torch.tensor([1, 2]), new torch.nn.Linear(3, 2).weight];
      expect(made.map((t) => t.device.type)).toEqual(Array(made.length).fill('meta'));
      expect(torch.zeros(2, 3).shape).toEqual([2, 3]);
      // Not moved, as in PyTorch: an explicit device, *Like (follows its input), zero-copy views of JS memory.
      expect([torch.ones(2, { device: 'cpu' }), torch.zerosLike(cpu), torch.fromArray(new Float32Array(2))]
        .map((t) => t.device.type)).toEqual(['cpu', 'cpu', 'cpu']);
    } finally {
      torch.setDefaultDevice(null);
    }
    expect(String(torch.getDefaultDevice())).toBe('cpu');
    expect([torch.zeros([2]).device.type, torch.zeros(2).device.type]).toEqual(['cpu', 'cpu']);
  });
});

describe('printing and device errors', () => {
  it('toString prints like Python repr (expected strings from PyTorch 2.11)', () => {
    const x = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
    expect(String(x)).toBe('tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)');
    expect(String(x.mul(2))).toBe('tensor([[2., 4.],\n        [6., 8.]], grad_fn=<MulBackward0>)');
    expect(String(torch.arange(3))).toBe('tensor([0, 1, 2])');
    expect(String(torch.tensor([0.5, 1 / 3], { dtype: torch.float64 }))).toBe('tensor([0.5000, 0.3333], dtype=torch.float64)');
  });

  it.skipIf(torch.cuda.isAvailable())('asking for CUDA without a GPU throws and says why', () => {
    expect(() => torch.ones(1).cuda()).toThrow(/^CUDA is not available: /);
    expect(() => torch.ones(1, { device: 'cuda' })).toThrow(/CUDA|NVIDIA driver/);
    expect(torch.ones(1).sum().item()).toBe(1);
  });
});

describe('default dtype and RNG state', () => {
  it('setDefaultDtype changes what floating factories and torch.tensor(numbers) make', () => {
    expect(torch.getDefaultDtype()).toBe(torch.float32);
    torch.setDefaultDtype(torch.float64);
    try {
      expect(torch.zeros(2).dtype).toBe(torch.float64);
      expect(torch.tensor([0.1]).dtype).toBe(torch.float64);
      expect(torch.tensor([0.1]).item()).toBe(0.1);
      expect(torch.arange(3).dtype).toBe(torch.int64);
    } finally {
      torch.setDefaultDtype(torch.float32);
    }
    expect(torch.zeros(1).dtype).toBe(torch.float32);
    expect(() => torch.setDefaultDtype(torch.int32)).toThrow('only floating-point types are supported as the default type');
  });

  it('getRngState / setRngState replay the same numbers; initialSeed', () => {
    torch.manualSeed(123);
    expect(torch.initialSeed()).toBe(123n);
    const state = torch.getRngState();
    expect(state.dtype).toBe(torch.uint8);
    const a = torch.rand(3).tolist();
    torch.setRngState(state);
    expect(torch.rand(3).tolist()).toEqual(a);
  });
});
