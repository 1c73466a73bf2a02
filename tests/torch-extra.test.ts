// torch.* helpers and global settings ported from PyTorch's Python layer: as_tensor, asarray,
// unravel_index, lu, seed, get_device, the set_*/get_*/is_* settings, and the Tensor methods
// type, new_tensor, data_ptr, to_sparse_coo, lu. Expected values are PyTorch 2.11's.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

describe('global settings round-trip through libtorch', () => {
  afterEach(() => {
    torch.useDeterministicAlgorithms(false);
    torch.setFloat32MatmulPrecision('highest');
    torch.setAnomalyEnabled(false);
    torch.setWarnAlways(false);
  });

  it('deterministic algorithms and the debug mode are one setting seen two ways', () => {
    expect([torch.areDeterministicAlgorithmsEnabled(), torch.getDeterministicDebugMode()]).toEqual([false, 0]);
    torch.useDeterministicAlgorithms(true, { warnOnly: true });
    expect([torch.areDeterministicAlgorithmsEnabled(), torch.isDeterministicAlgorithmsWarnOnlyEnabled(), torch.getDeterministicDebugMode()]).toEqual([true, true, 1]);
    torch.setDeterministicDebugMode('error');
    expect([torch.isDeterministicAlgorithmsWarnOnlyEnabled(), torch.getDeterministicDebugMode()]).toEqual([false, 2]);
    torch.setDeterministicDebugMode(0);
    expect(torch.areDeterministicAlgorithmsEnabled()).toBe(false);
  });

  it('with deterministic algorithms, libtorch fills uninitialized memory, as PyTorch does', () => {
    torch.useDeterministicAlgorithms(true);
    expect(torch.empty(3).tolist()).toEqual([NaN, NaN, NaN]);
    expect(torch.empty(2, { dtype: torch.int64 }).tolist()).toEqual([2 ** 63, 2 ** 63]); // int64 max, as a JS number
  });

  it('float32 matmul precision, anomaly mode and warn-always', () => {
    expect(torch.getFloat32MatmulPrecision()).toBe('highest');
    torch.setFloat32MatmulPrecision('medium');
    expect(torch.getFloat32MatmulPrecision()).toBe('medium');
    torch.setAnomalyEnabled(true, false);
    expect([torch.isAnomalyEnabled(), torch.isAnomalyCheckNanEnabled()]).toEqual([true, false]);
    torch.setWarnAlways(true);
    expect(torch.isWarnAlwaysEnabled()).toBe(true);
  });

  it('anomaly mode with NaN checks stops backward at the op that made a NaN', () => {
    torch.setAnomalyEnabled(true);
    const x = torch.tensor([0], { requiresGrad: true });
    const y = x.sqrt().mul(0).sum(); // d sqrt(x)/dx at 0 is inf; times 0 gives NaN
    expect(() => y.backward()).toThrow(/Function 'SqrtBackward0' returned nan values in its 0th output/);
  });

  it('interop threads, flush-denormal and seeds', () => {
    expect(torch.getNumInteropThreads()).toBeGreaterThanOrEqual(1);
    expect(typeof torch.setFlushDenormal(false)).toBe('boolean');
    const s = torch.seed();
    expect(typeof s).toBe('bigint');
    expect(torch.initialSeed()).toBe(s);
    const a = torch.rand(3).tolist();
    torch.manualSeed(s);
    expect(torch.rand(3).tolist()).toEqual(a); // seed() seeded the generator it reports
    expect(torch.seed()).not.toBe(s);
  });
});

describe('torch.asTensor and torch.asarray share memory where PyTorch does', () => {
  it('a TypedArray on the CPU is shared; a nested array is copied', () => {
    const data = new Float32Array([1, 2, 3]);
    const t = torch.asTensor(data);
    t.add_(1);
    expect([...data]).toEqual([2, 3, 4]);
    expect(torch.asTensor([[1, 2]], { dtype: torch.int64 }).dtype).toBe(torch.int64);
    const converted = torch.asTensor(data, { dtype: torch.float64 });
    converted.add_(1);
    expect([...data]).toEqual([2, 3, 4]); // another dtype: a copy
  });

  it('a Tensor of the dtype and device asked for is returned as it is', () => {
    const x = torch.ones(2);
    expect(torch.asTensor(x)).toBe(x);
    expect(torch.asTensor(x, { dtype: torch.float32, device: 'cpu' })).toBe(x);
    expect(torch.asTensor(x, { dtype: torch.float64 }).dtype).toBe(torch.float64);
  });

  it('asarray: copy true always copies, copy false never does, requiresGrad', () => {
    const data = new Float32Array([1, 2]);
    torch.asarray(data, { copy: true }).add_(1);
    expect([...data]).toEqual([1, 2]);
    torch.asarray(data, { copy: false }).add_(1);
    expect([...data]).toEqual([2, 3]);
    const x = torch.ones(2);
    expect(torch.asarray(x, { copy: false })).toBe(x);
    expect(torch.asarray([1.5], { requiresGrad: true }).requiresGrad).toBe(true);
  });
});

describe('torch.unravelIndex (PyTorch 2.11 values)', () => {
  it('flat indices to one coordinate tensor per dimension', () => {
    const coords = torch.unravelIndex(torch.tensor([4n, 1234n]), [10, 10, 10, 10]);
    expect(coords.map((c) => c.tolist())).toEqual([[0, 1], [0, 2], [0, 3], [4, 4]]);
    const [rows, cols] = torch.unravelIndex(torch.tensor([[5n, 7n], [0n, 11n]]), [3, 4]);
    expect(rows.tolist()).toEqual([[1, 1], [0, 2]]);
    expect(cols.tolist()).toEqual([[1, 3], [0, 3]]);
    expect(rows.dtype).toBe(torch.int64);
    expect(torch.unravelIndex(7, 5).map((c) => c.item())).toEqual([2]);
  });
});

describe('torch.lu and Tensor.lu (PyTorch 2.11 values)', () => {
  it('LU with pivots, and the infos on request', () => {
    const [LU, pivots] = torch.lu(torch.tensor([[4, 3], [6, 3]]));
    expect(LU.tolist().flat().map((v) => Math.round(v * 1e4) / 1e4)).toEqual([6, 3, 0.6667, 1]);
    expect(pivots.tolist()).toEqual([2, 2]);
    expect(pivots.dtype).toBe(torch.int32);
    const withInfos = torch.zeros(2, 2).lu({ getInfos: true });
    expect(withInfos).toHaveLength(3);
    expect(withInfos[1].tolist()).toEqual([1, 2]);
    expect(withInfos[2].item()).toBe(1); // a zero pivot, reported rather than thrown
  });
});

describe('Tensor.type, newTensor, dataPtr, toSparseCoo, torch.getDevice', () => {
  it('legacy type names, and conversion by name or dtype', () => {
    const x = torch.ones(2, 3);
    expect(x.type()).toBe('torch.FloatTensor');
    expect(torch.ones(2, { dtype: torch.bool }).type()).toBe('torch.BoolTensor');
    expect(torch.ones(1, { dtype: torch.bfloat16 }).type()).toBe('torch.BFloat16Tensor');
    expect(x.type('torch.DoubleTensor').dtype).toBe(torch.float64);
    expect(x.type(torch.int64).type()).toBe('torch.LongTensor');
  });

  it('newTensor takes this tensor\'s dtype and device unless told', () => {
    const x = torch.ones(2, { dtype: torch.float64 });
    const y = x.newTensor([[1, 2]]);
    expect([y.dtype, y.shape, y.tolist()]).toEqual([torch.float64, [1, 2], [[1, 2]]]);
    expect(x.newTensor([1], { dtype: torch.int32 }).dtype).toBe(torch.int32);
  });

  it('dataPtr: views share their base\'s address plus the offset; a copy has its own', () => {
    const x = torch.arange(10, { dtype: torch.float32 });
    expect(x.get('2:').dataPtr()).toBe(x.dataPtr() + 8n);
    expect(x.clone().dataPtr()).not.toBe(x.dataPtr());
  });

  it('toSparseCoo is toSparse; getDevice is -1 on the CPU', () => {
    const s = torch.tensor([[0, 2], [3, 0]]).toSparseCoo();
    expect(s.coalesce().indices().tolist()).toEqual([[0, 1], [1, 0]]);
    expect(s.coalesce().values().tolist()).toEqual([2, 3]);
    expect(s.toDense().tolist()).toEqual([[0, 2], [3, 0]]);
    expect(torch.getDevice(torch.ones(1))).toBe(-1);
  });
});

describe('the autocast state functions (torch.set_autocast_enabled, get_autocast_cpu_dtype, ...)', () => {
  it('PyTorch 2.11\'s defaults, and a change seen by ops and by torch.autocast\'s getters', () => {
    expect([torch.isAutocastCpuEnabled(), torch.getAutocastCpuDtype(), torch.getAutocastGpuDtype(), torch.isAutocastCacheEnabled()])
      .toEqual([false, torch.bfloat16, torch.float16, true]);
    try {
      torch.setAutocastCpuEnabled(true);
      torch.setAutocastCpuDtype(torch.float16);
      expect([torch.isAutocastEnabled('cpu'), torch.getAutocastDtype('cpu')]).toEqual([true, torch.float16]);
      expect(torch.ones(2, 2).matmul(torch.ones(2, 2)).dtype).toBe(torch.float16);
      expect(torch.autocastIncrementNesting()).toBe(1);
      expect(torch.autocastDecrementNesting()).toBe(0);
      torch.setAutocastEnabled('cpu', false);
      expect(torch.ones(2, 2).matmul(torch.ones(2, 2)).dtype).toBe(torch.float32);
    } finally {
      torch.setAutocastEnabled('cpu', false);
      torch.setAutocastCpuDtype(torch.bfloat16);
    }
  });
});

describe('torch.svdLowrank and torch.pcaLowrank draw and compute as PyTorch 2.11 (tests/fixtures/lowrank.py)', () => {
  const golden = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'lowrank.json'), 'utf8'));
  const A = torch.tensor(golden.A, { dtype: torch.float64 });
  const expectFactors = (got: torch.Tensor[], want: number[][][] | number[][]) => {
    got.forEach((t, i) => {
      const diff = t.sub(torch.tensor(want[i] as never, { dtype: torch.float64 })).abs().max().item();
      expect(diff).toBeLessThan(1e-10);
    });
  };
  it('svdLowrank, tall and wide, with the options or positionally', () => {
    torch.manualSeed(1);
    expectFactors(torch.svdLowrank(A, { q: 3 }), golden.svd_q3);
    torch.manualSeed(1);
    expectFactors(torch.svdLowrank(A.T, 3, 1), golden.svd_wide_q3_niter1);
  });
  it('pcaLowrank, centered by default, and not', () => {
    torch.manualSeed(2);
    expectFactors(torch.pcaLowrank(A), golden.pca);
    torch.manualSeed(2);
    expectFactors(torch.pcaLowrank(A, { q: 2, center: false }), golden.pca_q2_uncentered);
  });
});

describe('legacy sparse aliases and vitals', () => {
  it('spmm and dsmm are mm, hsmm is hspmm, saddmm is sspaddmm (PyTorch 2.11 values)', () => {
    const s = torch.eye(2).toSparse();
    const d = torch.ones(2, 2);
    expect(torch.spmm(s, d).tolist()).toEqual([[1, 1], [1, 1]]);
    expect(torch.dsmm(s, d).tolist()).toEqual([[1, 1], [1, 1]]);
    expect(torch.hsmm(s, d).toDense().tolist()).toEqual([[1, 1], [1, 1]]);
    expect(torch.saddmm(s, s, d).toDense().tolist()).toEqual([[2, 1], [1, 2]]);
  });

  it('vitals are off unless TORCH_VITAL is set; then they read back as PyTorch prints them', () => {
    expect([torch.vitalsEnabled(), torch.readVitals(), torch.setVital('A', 'b', 'c')]).toEqual([false, '', false]);
    const dist = path.join(__dirname, '..', 'dist', 'cjs', 'index.js');
    const r = spawnSync(process.execPath, ['-e', `const t = require(${JSON.stringify(dist)});
      console.log(JSON.stringify([t.vitalsEnabled(), t.setVital('Dataloader', 'basic_unit_test', 'TEST_VALUE_STRING'), t.readVitals()]))`],
    { encoding: 'utf8', env: { ...process.env, TORCH_VITAL: '1' } });
    // The first line is ours; libtorch prints the vitals again when the process exits.
    expect(JSON.parse(r.stdout.split('\n')[0])).toEqual([true, true,
      '[TORCH_VITAL] Dataloader.basic_unit_test\t\t TEST_VALUE_STRING\n[TORCH_VITAL] CUDA.used\t\t False\n']);
  });
});

describe('Tensor.dimOrder, as dim_order in PyTorch 2.11 (tests/fixtures/dim-order.py)', () => {
  const golden = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'dim-order.json'), 'utf8'));
  const make: Record<string, () => torch.Tensor> = {
    contig3: () => torch.zeros(2, 3, 4),
    perm3: () => torch.zeros(2, 3, 4).permute(2, 0, 1),
    cl: () => torch.zeros(2, 3, 4, 5).contiguous({ memoryFormat: 'channels_last' }),
    transposed: () => torch.zeros(4, 5).t(),
    expanded: () => torch.zeros(3, 1).expand(3, 4),
    ones_dim: () => torch.zeros(2, 1, 4).permute(2, 1, 0),
    strided: () => torch.zeros(4, 6).get(':, ::2'),
    perm4: () => torch.zeros(2, 3, 4, 5).permute(3, 1, 0, 2),
  };
  const attempt = (f: () => number[]) => { try { return f(); } catch (e) { return `ERR ${(e as Error).message}`; } };
  for (const [name, want] of Object.entries(golden.cases as Record<string, { stride: number[]; order: number[]; amb_true: unknown; amb_cl: unknown }>)) {
    it(name, () => {
      const x = make[name]();
      expect(x.stride()).toEqual(want.stride);
      expect(x.dimOrder()).toEqual(want.order);
      expect(attempt(() => x.dimOrder({ ambiguityCheck: true }))).toEqual(want.amb_true);
      expect(attempt(() => x.dimOrder({ ambiguityCheck: ['channels_last', 'contiguous_format'] }))).toEqual(want.amb_cl);
    });
  }
});

describe('Tensor.registerPostAccumulateGradHook (PyTorch 2.11 behaviour)', () => {
  it('runs after each accumulation, sees the new .grad, and stops once removed', () => {
    const p = torch.ones(2, { requiresGrad: true });
    const seen: number[][] = [];
    const handle = p.registerPostAccumulateGradHook((t) => { seen.push(t.grad!.clone().tolist() as number[]); });
    p.mul(3).sum().backward();
    p.mul(2).sum().backward();
    handle.remove();
    p.sum().backward();
    expect(seen).toEqual([[3, 3], [5, 5]]);
    expect(p.grad!.tolist()).toEqual([6, 6]);
  });

  it('an optimizer step inside backward, as PyTorch\'s recipe', () => {
    const w = torch.ones(2, { requiresGrad: true });
    w.registerPostAccumulateGradHook((t) => {
      torch.noGrad(() => t.sub_(t.grad!.mul(0.5)));
      t.grad = null;
    });
    w.mul(torch.tensor([1, 2])).sum().backward();
    expect(w.tolist()).toEqual([0.5, 0]);
    expect(w.grad).toBeNull();
  });

  it('several hooks run in order; a throwing hook\'s error reaches backward\'s caller', () => {
    const q = torch.ones(1, { requiresGrad: true });
    const order: string[] = [];
    q.registerPostAccumulateGradHook(() => { order.push('a'); });
    q.registerPostAccumulateGradHook(() => { order.push('b'); throw new Error('boom'); });
    expect(() => q.sum().backward()).toThrow('boom');
    expect(order).toEqual(['a', 'b']);
  });

  it('refuses tensors PyTorch refuses', () => {
    expect(() => torch.ones(2).registerPostAccumulateGradHook(() => {})).toThrow("cannot register a hook on a tensor that doesn't require gradient");
    expect(() => torch.ones(2, { requiresGrad: true }).mul(2).registerPostAccumulateGradHook(() => {}))
      .toThrow('post accumulate grad hooks cannot be registered on non-leaf tensors');
  });
});
