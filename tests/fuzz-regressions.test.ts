// Crashes found by scripts/fuzz-program.mjs (and while building its bad-input tables), each
// kept as the smallest program that crashed, run in a child process: it must now exit 0, with
// the Error the call throws instead. Then a CI-sized fuzzer run (2,000 calls, fixed seed).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist', 'cjs', 'index.js');

/** Runs `body` after `const torch = require(dist)` in a fresh process; prints what `report` gets. */
function run(body: string): { status: number | null; signal: string | null; out: string; err: string } {
  if (!fs.existsSync(dist)) throw new Error(`${dist} is missing: run npm run build:ts before these tests`);
  const script = `const torch = require(${JSON.stringify(dist)});
const report = (f) => { try { const r = f(); console.log('returned', String(r).slice(0, 60)); } catch (e) { console.log((e instanceof Error ? 'Error: ' : 'non-Error: ') + (e && e.message)); } };
${body}`;
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

// [what crashed, how it crashed before, the program, what it must print now]
const REGRESSIONS: [string, string, string, RegExp][] = [
  ['torch.alignTensors([]): libtorch reads the first tensor of an empty list', 'SIGSEGV (fuzzer, seeds 5, 8, 12, ...)',
    'report(() => torch.alignTensors([]));', /Error: align_tensors: expected at least one tensor/],
  ['torch.ops.aten._foreach_copy([], [a, b, c]): lists of different lengths', 'SIGSEGV (fuzzer, seed 19 of the 100,000-call run)',
    `const a = torch.randn([4, 3]).narrow(0, 0, 1);
     report(() => torch.ops.aten._foreach_copy.default([], [torch.arange(9).bfloat16(), a.logNormal_(-1.5), torch.randn([0]).mul(2)]));
     report(() => torch.ops.aten._fused_adagrad_.default([torch.ones(2)], [], [], [], { lr: 0.1, lrDecay: 0, weightDecay: 0, eps: 1e-8, maximize: false }));`,
    /Error: Tensor lists must have the same number of tensors, got 0 and 3\nError: Tensor lists must have the same number of tensors, got 1 and 0/],
  ['torch.ops.aten._thnn_differentiable_gru_cell_backward with gates of the wrong shape', 'SIGSEGV (fuzzer, seed 30)',
    `const s0 = torch.randn([0, 3]).flip(0);
     const s4 = torch.ops.aten.resolve_neg.default(torch.arange(3).double().get('::2')).normal_();
     const s11 = torch.ops.aten.sum.dim_IntList(s4);
     const s6 = s11.igamma(torch.empty([2, 1, 3]));
     report(() => torch.ops.aten._thnn_differentiable_gru_cell_backward.default(s0, s6, s11, s4, s6));
     report(() => torch.ops.aten._thnn_differentiable_lstm_cell_backward.default(null, null, torch.ones(2, 3), torch.ones(2, 3), null, null, torch.ones(2, 2), torch.ones(2, 2)));`,
    /Error: _thnn_differentiable_gru_cell_backward: expected a 2-D hidden state, got 1-D\nError: _thnn_differentiable_lstm_cell_backward: expected gates of shape \[2, 8\], got \[2, 3\] and \[2, 3\]/],
  ['torch.ops.aten.reflection_pad3d(x, []): padding read past its end (crashes PyTorch too)', 'SIGSEGV (fuzzer, seed 32)',
    `const x = torch.special.i0(torch.randn([0, 3], { requiresGrad: true }));
     report(() => torch.ops.aten.reflection_pad3d.default(x, []));
     report(() => torch.ops.aten.replication_pad1d.default(torch.ones(1, 4), [1]));`,
    /Error: expected a list of 6 values \(or one\) for argument 'padding' of aten::reflection_pad3d, got an empty list\nError: aten::replication_pad1d: expected padding of 2 integers, got 1/],
  ['a resize_ that fails (storage not resizable, or too large) left the new shape on the old storage', 'SIGABRT (fuzzer, seed 37) or out-of-bounds reads',
    `const s9 = torch.fromArray(new Float32Array(0)).detach();
     report(() => s9.resizeAs_(torch.empty([2, 1, 3], { dtype: torch.int64 }).div(2)));
     console.log('shape', s9.shape.join('x'), s9.typedArrayView().length);
     const big = torch.ones(2);
     report(() => big.resize_(1e13));
     console.log('shape', big.shape.join('x'), big.sum().item());
     const pinned = torch.ones(3); pinned.typedArrayView();
     report(() => pinned.resize_(100));
     console.log('shape', pinned.shape.join('x'), pinned.sum().item());`,
    /Trying to resize storage that is not resizable\nshape 0 0\nError: .*can't allocate memory.*\nshape 2 2\nError: Trying to resize storage that is not resizable\nshape 3 3/],
  ['torch.ops.aten._cholesky_solve_helper with shapes cholesky_solve would refuse', 'heap corruption: malloc(): unaligned tcache chunk detected, SIGABRT (fuzzer, seed 126)',
    `class WrongGrad extends torch.autograd.Function {
       static forward(ctx, x) { return x.clone(); }
       static backward(ctx, g) { return [torch.ones(7)]; }
     }
     const s4 = WrongGrad.apply(torch.randn([4, 4], { requiresGrad: true }));
     const s5 = torch.cummax(torch.empty([1, 3]).narrow(0, 0, 1).frac(), -1)[0];
     report(() => torch.ops.aten._cholesky_solve_helper.default(s5, s4, false));
     console.log('public', torch.choleskySolve(torch.eye(3), torch.eye(3)).sum().item());`,
    /Error: _cholesky_solve_helper: expected self of shape \[\*, n, k\] for A of shape \[\*, n, n\] with the same batch shape, got \[1, 3\] and \[4, 4\].*\npublic 3/],
  ['torch.ops.aten._reshape_alias_copy with sizes and strides outside the storage', 'SIGSEGV (fuzzer, seed 136)',
    `const s1 = torch.randn([0, 3]).detach().arcsinh_().fix_();
     report(() => torch.ops.aten._reshape_alias_copy.default(s1, [2, 2], [2, 0]));
     console.log('fits', torch.ops.aten._reshape_alias.default(torch.ones(6), [2, 3], [3, 1]).sum().item());`,
    /Error: aten::_reshape_alias_copy: sizes \[2, 2\] with strides \[2, 0\] need 12 bytes, but the storage holds 0\nfits 6/],
  ['torch.ops.aten._stack([])', 'SIGSEGV (fuzzer, seed 204)',
    'report(() => torch.ops.aten._stack.default([]));', /Error: aten::_stack: stack expects a non-empty TensorList/],
  ['torch.ops.aten._weight_norm_interface with an empty weight (crashes PyTorch too)', 'SIGFPE, an integer division by zero (fuzzer, seed 225)',
    `const s6 = torch.randn([0, 3]);
     report(() => torch.ops.aten._weight_norm_interface.default(torch.deserialize(torch.serialize(s6)), s6));
     console.log('ok', torch.ops.aten._weight_norm_interface.default(torch.ones(3, 2), torch.ones(3, 1))[0].sum().item().toFixed(4));`,
    /Error: _weight_norm_interface: expected a non-empty weight v with at least one dimension, got \[0, 3\]\nok 4.2426/],
  ['torch.ops.aten._nnpack_spatial_convolution with a bool input, an empty weight and no stride', 'SIGSEGV (fuzzer, seed 236)',
    `report(() => torch.ops.aten._nnpack_spatial_convolution.default(torch.zeros([2, 2, 2, 2], { dtype: torch.bool }),
       torch.fromArray(new Float32Array(0)).get('::2'), null, 4, []));
     report(() => torch.ops.aten._nnpack_spatial_convolution.default(torch.zeros([2, 2, 2, 2], { dtype: torch.bool }),
       torch.fromArray(new Float32Array(0)).get('::2'), null, 4, [1, 1]));`,
    /Error: expected a list of 2 values \(or one\) for argument 'stride' of aten::_nnpack_spatial_convolution, got an empty list\nError: aten::_nnpack_spatial_convolution: expected a 4-D input and a 4-D weight, got \[2, 2, 2, 2\] and \[0\]/],
  ['torch.ops.aten.fractional_max_pool3d_backward(..., output_size=[]): an empty int[3] (crashes PyTorch too)', 'SIGSEGV (fuzzer, seeds 302 and 308)',
    `const s3 = torch.randn([1, 1]).to(torch.bool), s9 = torch.tensor([true, false]).transpose(0, -1);
     const s6 = torch.full([4, 3], -1.5, { dtype: torch.bool }).get('::2');
     report(() => torch.ops.aten.fractional_max_pool3d_backward.default(s3, s9, 4, [], s6));
     report(() => torch.ops.aten.fractional_max_pool3d_backward.default(torch.randn([1]), torch.zeros([1]).unsqueeze(0).expand(2, -1), [2, 1, 1], [], torch.zeros([4, 3])));
     console.log('stride=[] still means the default', torch.maxPool2d(torch.ones(1, 1, 4, 4), [2], []).shape.join('x'));`,
    /Error: expected a list of 3 values \(or one\) for argument 'output_size' of aten::fractional_max_pool3d_backward, got an empty list\nError: expected a list of 3 values \(or one\) for argument 'output_size'.*\nstride=\[\] still means the default 1x1x2x2/],
  ['torch.quantizedLstmCell(input, [], ...): hx without its two tensors', 'SIGSEGV (fuzzer, seed 332)',
    `const s7 = torch.randn([2, 3, 4]).double(), s5 = torch.fromArray(new Float32Array(3)).get('::2');
     const s1 = torch.tensor([true, false]).get('..., None'), s0 = torch.log_(torch.arange(5).double().get('..., None'));
     report(() => torch.quantizedLstmCell(s7, [], s5, s1, s0, torch.empty([0], { dtype: torch.int64 }).t(), s1, s7, s0, s1, Infinity, 1, true, -Infinity));`,
    /Error: aten::quantized_lstm_cell expects two hidden states, got 0/],
  ['torch.ops.aten._sobol_engine_initialize_state_ on a state of the wrong shape', 'SIGSEGV (fuzzer, seed 416)',
    `report(() => torch.ops.aten._sobol_engine_initialize_state_.default(torch.randn([4, 4]).to(torch.int64), 0));
     report(() => torch.ops.aten._sobol_engine_initialize_state_.default(torch.zeros([4, 4], { dtype: torch.int64 }), 4));
     const state = torch.ops.aten._sobol_engine_initialize_state_.default(torch.zeros([3, 30], { dtype: torch.int64 }), 3);
     console.log('draw', torch.ops.aten._sobol_engine_draw.default(torch.zeros([3], { dtype: torch.int64 }), 4, state, 3, 0, null)[0].shape.join('x'));`,
    /Error: aten::_sobol_engine_initialize_state_: dimension must be in \[1, 21201\], got 0\nError: .*expected self as a contiguous int64 tensor of shape \[4, 30\], got Long \[4, 4\]\ndraw 4x3/],
  ['torch.chooseQparamsOptimized with ratio Infinity (and numel beyond the input)', 'hang (fuzzer, seed 418); out-of-bounds reads',
    `report(() => torch.chooseQparamsOptimized(torch.ones(3), 3, 1, Infinity, 1));
     report(() => torch.chooseQparamsOptimized(torch.ones(3), 30, 10, 0.5, 8));`,
    /Error: choose_qparams_optimized: ratio must be in \[0, 1\], got inf\nError: choose_qparams_optimized: numel 30 is not in \[0, 3\]/],
  ['torch.ops.aten._new_zeros_with_same_feature_meta with a negative selfNumBatchDims', 'SIGSEGV (fuzzer, seed 435)',
    `const s9 = torch.randn([1, 1]).to(torch.complex64);
     report(() => torch.ops.aten._new_zeros_with_same_feature_meta.default(s9, s9, { selfNumBatchDims: -2 }));
     console.log('ok', torch.ops.aten._new_zeros_with_same_feature_meta.default(torch.ones(2, 3), torch.ones(3), { selfNumBatchDims: 1 }).shape.join('x'));`,
    /Error: aten::_new_zeros_with_same_feature_meta: self_num_batch_dims must be in \[0, 2\], got -2\nok 2x3/],
  ['torch.linalg.eigvals of a float32 matrix holding NaN (crashes PyTorch too, inside LAPACK)', 'SIGSEGV (fuzzer, seed 501)',
    `const s2 = torch.special.exp2(torch.randn([3, 3]).asin_());
     report(() => torch.linalg.eigvals(torch.tensor([[NaN, 1, 2], [0.5, NaN, 1], [1, 2, 3]])));
     report(() => torch.linalg.eigvals(torch.full([3, 3], Infinity)));
     console.log('finite', torch.linalg.eigvals(torch.tensor([[2, 0], [0, 3]])).abs().tolist().join(','));`,
    /Error: torch.linalg.eigvals: input tensor should not contain infs or NaNs\nError: torch.linalg.eigvals: input tensor should not contain infs or NaNs\nfinite 2,3/],
  ['a write into the packed matrix fbgemmPackGemmMatrixFp16 returns (a C++ object in a uint8 tensor)', 'SIGSEGV when freed (fuzzer, seed 20)',
    `report(() => { const s = torch.fbgemmPackGemmMatrixFp16(torch.randn([4, 4]).contiguous()); s.set('-1:', true); });`,
    /Error: fbgemm_pack_gemm_matrix_fp16 and fbgemm_pack_quantized_matrix are not supported/],
  ['resize_() of a tensor with a typedArrayView: the view read freed memory', 'use after free (garbage values, or SIGSEGV)',
    `const t = torch.ones(1000); const v = t.typedArrayView();
     report(() => t.resize_(10000000));
     for (let i = 0; i < 20; i++) torch.full([1000], 42);
     console.log('view', v[0], v[999]);`, /Error: Trying to resize storage that is not resizable[\s\S]*view 1 1/],
  ['set_() swapping the storage of a tensor with a typedArrayView', 'use after free',
    `const t = torch.ones(1000); const v = t.typedArrayView();
     t.set_(torch.zeros(5)); torch.full([100000], 42); globalThis.gc();
     console.log('view', v[0], v.length);`, /view 1 1000/],
  ['a generator handle passed where a tensor goes (new torch.Tensor(generator._g))', 'type confusion: SIGSEGV or garbage',
    `const g = new torch.Generator();
     report(() => new torch.Tensor(g._g).shape);
     report(() => torch.ones(2).add(new torch.Tensor(g._g)));`,
    /Error: expected a Tensor\n[\s\S]*Error: expected a Tensor for argument 'other' of aten::add.Tensor, got another kind of handle/],
  ['an array element getter that calls torch while callOp converts the array', 'the shared argument stack was cleared under the outer call: wrong results, reads past the end',
    `const sizes = [3, 2];
     Object.defineProperty(sizes, 1, { get() { torch.ones(5).add(torch.ones(5)).sum(); return 2; } });
     console.log('shape', torch.ones(2, 3).reshape(sizes).shape.join('x'));
     const dims = [0, 1];
     Object.defineProperty(dims, 1, { get() { torch.ones(7).mul(2); return 1; } });
     console.log('zeros', torch.zeros(dims).shape.join('x'));`, /shape 3x2\nzeros 0x1/],
  ['torch.setNumThreads(100000)', 'hang: libtorch started 100,000 threads on the next parallel op',
    `report(() => torch.setNumThreads(100000)); console.log('sum', torch.ones(100000).add(1).sum().item());`,
    /Error: setNumThreads: expected an integer number of threads in \[1, 1024\], got 100000\nsum 200000/],
  ['sparse results (x.toSparse()): the handle reported nbytes(), which throws for sparse tensors', 'every sparse result was an error',
    `const s = torch.ones(2, 2).toSparse(); console.log('sparse', s.shape.join('x'), s.toDense().sum().item()); report(() => s.stride());`,
    /sparse 2x2 4\nError: tensors of layout Sparse do not have strides/],
  ['bigints beyond int64 as sizes and scalars', 'wrapped silently (torch.zeros(2n ** 70n) made an empty tensor)',
    'report(() => torch.zeros(2n ** 70n)); report(() => torch.ones(2).add(2n ** 70n)); report(() => torch.tensor([2n ** 70n]));',
    /got a bigint outside the int64 range\n.*got a bigint outside the int64 range\nError: tensor\(\): 1180591620717411303424n \(element 0\) is outside the int64 range/],
];

describe('fuzzer findings stay fixed (each in a child process)', () => {
  it.each(REGRESSIONS)('%s (was: %s)', (_what, _was, body, expected) => {
    const r = run(body);
    expect(r.signal, r.err).toBeNull();
    expect(r.status, r.err).toBe(0);
    expect(r.out).toMatch(expected);
  });
});

describe('scripts/fuzz-program.mjs', () => {
  it('a CI-sized run (2,000 random calls, seed 1) finds nothing', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-fuzz-'));
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'fuzz-program.mjs'), '--calls', '2000', '--chunk', '2000',
      '--seed', '1', '--timeout', '60000', '--json', '--out', out], { encoding: 'utf8', timeout: 120_000 });
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(summary.findings).toEqual([]);
    expect(summary.calls).toBe(2000);
    // Most calls are meant to be wrong; the rest compute: both kinds must be well represented.
    expect(summary.errors).toBeGreaterThan(200);
    expect(summary.errors).toBeLessThan(1800);
    expect(r.status).toBe(0);
    fs.rmSync(out, { recursive: true, force: true });
  }, 120_000);
});
