// Replays the cases of tests/fixtures/nn-golden-harness.py in torch-node: builds the same module
// (PyTorch's names camelCased), compares its initialization for the same seed, loads PyTorch's
// state dict, calls it on the same inputs, and compares outputs, gradients and buffers.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import * as torch from '../lib/index';

const { nn } = torch;
type Tensor = torch.Tensor;

export interface Encoded { shape: number[]; dtype: string; data: (number | string | boolean)[]; grad?: boolean }
export interface Tolerance { atol?: number; rtol?: number }
export interface CaseBase {
  name: string; seed: number; inputs: unknown[]; tol?: Tolerance;
  outputs?: (Encoded | number)[]; input_grads?: (Encoded | null)[];
}
export interface ModuleCase extends CaseBase {
  kind: 'module'; cls: string; args: unknown[]; kwargs: Record<string, unknown>; init: boolean; train: boolean;
  repr: string; state: Record<string, Encoded>; call_kwargs: Record<string, unknown>; calls?: number;
  param_grads?: Record<string, Encoded>; buffers_after?: Record<string, Encoded>;
}
export interface FunctionalCase extends CaseBase { kind: 'functional'; fn: string; kwargs: Record<string, unknown> }

export const loadGolden = (file: string) =>
  JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', file), 'utf8'));

export const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const camelKeys = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [camel(k), v]));
const isEncoded = (v: unknown): v is Encoded => v !== null && typeof v === 'object' && 'shape' in v && 'data' in v;
const special = (v: unknown) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : v);

export function tensorOf(e: Encoded): Tensor {
  const dtype = (torch as unknown as Record<string, torch.DType>)[e.dtype];
  const data = e.data.map(special) as number[] | boolean[];
  const t = torch.tensor(data, { dtype }).reshape(e.shape);
  return e.grad ? t.requiresGrad_(true) : t;
}

/** Arguments as Python wrote them: tensors, module specs, dtypes, nested lists and dicts. */
export function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v === null || typeof v !== 'object') return special(v);
  if (isEncoded(v)) return tensorOf(v);
  const o = v as Record<string, unknown>;
  if ('torch_dtype' in o) return (torch as unknown as Record<string, unknown>)[o.torch_dtype as string];
  if ('module' in o) return construct(o.module as string, o.args as unknown[], o.kwargs as Record<string, unknown>);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x)]));
}

/** Positional arguments, then the keyword arguments as one camelCased options object. */
const call = (args: unknown[], kwargs: Record<string, unknown>) =>
  (Object.keys(kwargs).length ? [...args, camelKeys(kwargs)] : args);

export function construct(cls: string, args: unknown[], kwargs: Record<string, unknown>): torch.nn.Module {
  const Class = (nn as unknown as Record<string, new (...a: unknown[]) => torch.nn.Module>)[cls];
  if (typeof Class !== 'function') throw new Error(`torch-node has no nn.${cls}`);
  return new Class(...call(decode(args) as unknown[], decode(kwargs) as Record<string, unknown>));
}

export function flattenOutputs(out: unknown): unknown[] {
  if (out === null || out === undefined) return [];
  if (Array.isArray(out)) return out.flatMap(flattenOutputs);
  return [out];
}

const leaves = (inputs: unknown): Tensor[] =>
  flattenOutputs(inputs).filter((t): t is Tensor => t instanceof torch.Tensor && t.requiresGrad);

/** |actual - expected| <= atol + rtol * |expected| everywhere, with the same shape and dtype. */
export function expectTensor(actual: unknown, expected: Encoded, what: string, tol: Tolerance = {}): void {
  const { atol = 2e-6, rtol = 2e-5 } = tol;
  expect(actual, what).toBeInstanceOf(torch.Tensor);
  const t = actual as Tensor;
  expect([what, t.shape], 'shape').toEqual([what, expected.shape]);
  expect([what, t.dtype.name], 'dtype').toEqual([what, expected.dtype]);
  const a = [t.detach().flatten().tolist()].flat() as (number | boolean)[];
  const e = expected.data.map(special);
  if (typeof e[0] !== 'number' || !t.dtype.isFloatingPoint) {
    expect([what, a], 'values').toEqual([what, e]);
    return;
  }
  a.forEach((v, i) => {
    const x = e[i] as number;
    const ok = Number.isNaN(x) ? Number.isNaN(v as number) : v === x || Math.abs((v as number) - x) <= atol + rtol * Math.abs(x);
    if (!ok) throw new Error(`${what}: element ${i} is ${v}, PyTorch's is ${x}\n  actual   ${a.join(', ')}\n  expected ${e.join(', ')}`);
  });
}

/** The fixed reduction of the Python side: sum over outputs of (output * cos(0.37 k + i)). */
function weightedSum(outs: unknown[]): Tensor | null {
  let loss: Tensor | null = null;
  outs.forEach((o, i) => {
    if (!(o instanceof torch.Tensor) || !o.requiresGrad) return;
    const w = torch.arange(o.numel(), { dtype: torch.float32 }).mul(0.37).add(i).cos().reshape(o.shape).to(o.dtype);
    const term = o.mul(w).sum();
    loss = loss ? loss.add(term) : term;
  });
  return loss;
}

function checkCall(c: CaseBase, run: (inputs: unknown[]) => unknown, calls = 1): void {
  const inputs = decode(c.inputs) as unknown[];
  torch.manualSeed(c.seed + 1000);
  let out: unknown;
  for (let i = 0; i < calls; i++) out = run(inputs);
  const outs = flattenOutputs(out);
  expect(outs.length, 'number of outputs').toBe(c.outputs!.length);
  outs.forEach((o, i) => {
    const e = c.outputs![i];
    if (typeof e === 'number') expect(o).toBeCloseTo(e, 6);
    else expectTensor(o, e, `output ${i}`, c.tol);
  });
  const loss = weightedSum(outs);
  if (!c.input_grads) return;
  loss!.backward();
  leaves(inputs).forEach((t, i) => {
    const e = c.input_grads![i];
    if (e === null) expect(t.grad === null || t.grad.abs().sum().item() === 0, `input ${i} has no gradient`).toBe(true);
    else expectTensor(t.grad, e, `gradient of input ${i}`, c.tol);
  });
}

/** PyTorch's attribute names in a printed module: (selfAttn) -> (self_attn), unless PyTorch prints the name as it is (ModuleDict keys). */
const pythonNames = (repr: string, python: string) => repr.replace(/\((\w+)\): /g, (m, n: string) =>
  (python.includes(m) ? m : `(${n.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}): `));

export function runModuleCase(c: ModuleCase): void {
  torch.manualSeed(c.seed);
  const m = construct(c.cls, c.args, c.kwargs);
  const sd = m.stateDict();
  expect(Object.keys(sd), 'state dict keys').toEqual(Object.keys(c.state));
  if (c.init) for (const [k, e] of Object.entries(c.state)) expectTensor(sd[k], e, `initial ${k}`, { atol: 1e-6, rtol: 1e-6 });
  expect(pythonNames(String(m), c.repr), 'repr').toBe(c.repr);
  m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, e]) => [k, tensorOf(e)])));
  m.train(c.train);
  if (!c.outputs) return;
  checkCall(c, (inputs) => m.forward(...call(inputs, decode(c.call_kwargs) as Record<string, unknown>)), c.calls);
  for (const [k, e] of Object.entries(c.param_grads ?? {})) expectTensor(sd[k].grad, e, `gradient of ${k}`, c.tol);
  for (const [k, e] of Object.entries(c.buffers_after ?? {})) expectTensor(m.stateDict()[k], e, `buffer ${k} after`, c.tol);
}

export function runFunctionalCase(c: FunctionalCase): void {
  const fn = (nn.functional as unknown as Record<string, (...a: unknown[]) => unknown>)[camel(c.fn)];
  expect(typeof fn, `nn.functional.${camel(c.fn)}`).toBe('function');
  checkCall(c, (inputs) => fn(...call(inputs, decode(c.kwargs) as Record<string, unknown>)));
}
