// Tests for lib/format.ts: formatTensor must print exactly what Python's repr(tensor) prints.
// The golden strings come from PyTorch itself (tests/fixtures/format-golden.py).
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { formatTensor } from '../lib/format';

interface GoldenCase {
  name: string;
  values: Array<number | boolean | 'nan' | 'inf' | '-inf'>;
  shape: number[];
  dtype: string;
  requiresGrad: boolean;
  gradFn: string | null;
  device?: string;
  repr: string;
}

const golden = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, 'fixtures/format-golden.json'), 'utf8'),
) as { torch: string; cases: GoldenCase[] };

// JSON has no nan/inf, so the script writes them as strings.
const SPECIAL: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity };
const decode = (v: GoldenCase['values'][number]) => (typeof v === 'string' ? SPECIAL[v] : v);

describe(`formatTensor matches repr() of PyTorch ${golden.torch}`, () => {
  it('has golden cases', () => {
    expect(golden.cases.length).toBeGreaterThanOrEqual(40);
  });
  for (const c of golden.cases) {
    it(c.name, () => {
      const out = formatTensor({
        values: c.values.map(decode),
        shape: c.shape,
        dtype: c.dtype,
        device: c.device,
        requiresGrad: c.requiresGrad,
        gradFn: c.gradFn,
      });
      expect(out).toBe(c.repr);
    });
  }
});

describe('formatTensor by hand', () => {
  it('prints 0-d and empty tensors', () => {
    expect(formatTensor({ values: [3], shape: [], dtype: 'float32' })).toBe('tensor(3.)');
    expect(formatTensor({ values: [], shape: [0], dtype: 'float32' })).toBe('tensor([])');
    expect(formatTensor({ values: [], shape: [0, 3], dtype: 'float32' })).toBe('tensor([], size=(0, 3))');
  });

  it('accepts typed arrays, bigint int64 and numeric bools', () => {
    expect(formatTensor({ values: new Float32Array([1, 2]), shape: [2], dtype: 'float32' })).toBe('tensor([1., 2.])');
    expect(formatTensor({ values: new BigInt64Array([-(2n ** 62n), 5n]), shape: [2], dtype: 'int64' }))
      .toBe('tensor([-4611686018427387904,                    5])');
    expect(formatTensor({ values: new Uint8Array([1, 0]), shape: [2], dtype: 'bool' })).toBe('tensor([ True, False])');
  });

  it('rounds ties half-to-even like Python, not like Number.toFixed', () => {
    // 1.03125 and 2.71875 are exact in binary: Python gives 1.0312 and 2.7188.
    expect(formatTensor({ values: [1.03125, 2.71875], shape: [2], dtype: 'float64' }))
      .toBe('tensor([1.0312, 2.7188], dtype=torch.float64)');
    expect(formatTensor({ values: [1e-5, 1e5], shape: [2], dtype: 'float32' })).toBe('tensor([1.0000e-05, 1.0000e+05])');
  });

  it('prints device, requires_grad and grad_fn suffixes', () => {
    expect(formatTensor({ values: [1, 2], shape: [2], dtype: 'float32', device: 'cuda:0', requiresGrad: true }))
      .toBe("tensor([1., 2.], device='cuda:0', requires_grad=True)");
    expect(formatTensor({ values: [2, 3], shape: [2], dtype: 'float32', requiresGrad: true, gradFn: 'AddBackward0' }))
      .toBe('tensor([2., 3.], grad_fn=<AddBackward0>)');
    expect(formatTensor({ values: [1], shape: [1], dtype: 'int32', device: 'cpu' })).toBe('tensor([1], dtype=torch.int32)');
  });

  it('rejects too few values', () => {
    expect(() => formatTensor({ values: [1, 2], shape: [3], dtype: 'float32' })).toThrow(RangeError);
  });
});

describe('torch.setPrintoptions, as torch.set_printoptions in PyTorch 2.11', () => {
  const { cases, torch: version } = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'print-options.json'), 'utf8')) as
    { torch: string; cases: { options: Record<string, unknown>; reprs: string[] }[] };
  const camel = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_(.)/g, (_, c: string) => c.toUpperCase()), v]));

  it(`a session of set_printoptions calls prints what ${version} printed`, async () => {
    const torch = await import('../lib/index');
    const tensors = [torch.tensor([1.123456, 2.5, 1000.25]), torch.arange(30.0, { dtype: torch.float32 }), torch.tensor([1e-5, 1.0])];
    try {
      for (const { options, reprs } of cases) {
        torch.setPrintoptions(camel(options));
        expect(tensors.map(String), JSON.stringify(options)).toEqual(reprs);
      }
    } finally {
      torch.setPrintoptions({ profile: 'default' });
    }
    expect(String(tensors[0])).toBe('tensor([   1.1235,    2.5000, 1000.2500])');
  });

  it('refuses what PyTorch refuses', async () => {
    const torch = await import('../lib/index');
    expect(() => torch.setPrintoptions({ profile: 'long' as never })).toThrow("Invalid profile: long. the profile must be one of 'default', 'short', 'full'");
    expect(() => torch.setPrintoptions({ precision: -1 })).toThrow('precision must be a non-negative integer, got -1');
    expect(() => torch.setPrintoptions({ colour: true } as never)).toThrow("unknown option 'colour'");
  });
});
