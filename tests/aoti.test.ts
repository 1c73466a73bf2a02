// AOTInductor packages (.pt2) compiled in Python by torch._inductor.aoti_compile_and_package,
// loaded and run through libtorch's own loader. The packages are committed fixtures (made by
// tests/fixtures/aoti-golden.py, portable x86-64 code), so this runs without Python;
// TORCH_NODE_AOTI_REBUILD=1 compiles them again first with a Python that has torch (minutes).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as torch from '../lib/index';
import { findPython } from './python';
import { flattenTensors, parseTreeSpec, unflatten } from '../lib/pytree';

const committed = path.join(__dirname, 'fixtures');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-aoti-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// Where the fixtures come from: the committed ones, or a fresh compile when asked for or missing.
const haveCommitted = fs.existsSync(path.join(committed, 'aoti-golden.json'));
const rebuild = process.env.TORCH_NODE_AOTI_REBUILD === '1' || !haveCommitted;
const python = rebuild ? findPython().python : undefined;
const skipReason = rebuild && !python ? 'no committed .pt2 fixtures and no Python with torch to compile them (set TORCH_NODE_PYTHON)' : '';
if (skipReason) console.log(`AOTInductor tests skipped: ${skipReason}`);
const dir = rebuild ? tmp : committed;
const fixture = (name: string) => path.join(dir, name);

interface Golden {
  mlp: { package: string; inputs: number[][][]; outputs: number[][][]; eager: number[][][]; constant_fqns: string[];
    metadata: Record<string, string>; call_spec: string[] };
  two_input: { package: string; image: number[][][][]; side: number[][]; logits: number[][]; probs: number[][];
    pooled: number[]; eager_logits: number[][]; constant_fqns: string[]; call_spec: string[]; zeroed_logits: number[][];
    head_bias: number[] };
}
let golden: Golden;

// Compiling takes minutes: asynchronously, so the test worker keeps answering vitest meanwhile.
function compileFixtures(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(python!, [path.join(committed, 'aoti-golden.py'), tmp], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => (status === 0 ? resolve() : reject(new Error(`aoti-golden.py failed:\n${stderr}`))));
  });
}

beforeAll(async () => {
  if (skipReason) return;
  if (rebuild) await compileFixtures();
  golden = JSON.parse(fs.readFileSync(fixture('aoti-golden.json'), 'utf8')) as Golden;
}, 620_000);

const close = (t: torch.Tensor, expected: unknown, tol = 1e-5) => {
  expect(t.dtype).toBe(torch.float32);
  expect(torch.allclose(t, torch.tensor(expected as number[]), tol, tol)).toBe(true);
};

describe.skipIf(!!skipReason)(`torch.export.loadPackage (${rebuild ? 'packages compiled now' : 'committed packages'})`, () => {
  it("runs an MLP with a dynamic batch size and gives PyTorch's compiled outputs", () => {
    const compiled = torch.export.loadPackage(fixture(golden.mlp.package));
    golden.mlp.inputs.forEach((input, i) => {
      const out = compiled.forward(torch.tensor(input)) as torch.Tensor;
      expect(out.shape).toEqual([input.length, 3]);
      close(out, golden.mlp.outputs[i]);
      close(out, golden.mlp.eager[i], 1e-4); // and the eager model's, to float tolerance
      const [flat] = compiled.run([torch.tensor(input)]);
      expect(flat.tolist()).toEqual(out.tolist());
    });
    expect(compiled.getMetadata()).toEqual(golden.mlp.metadata);
    expect(compiled.getCallSpec()).toEqual(golden.mlp.call_spec);
    expect(compiled.getConstantFqns().sort()).toEqual(golden.mlp.constant_fqns);
    expect(String(compiled)).toBe(`AOTICompiledModel(${JSON.stringify(fixture(golden.mlp.package))})`);
    compiled.dispose();
  });

  it('takes two inputs and returns the nested (tuple, dict) outputs, the same on every run', () => {
    const compiled = torch._inductor.aotiLoadPackage(fixture(golden.two_input.package));
    const g = golden.two_input;
    const image = torch.tensor(g.image), side = torch.tensor(g.side);
    const first = compiled.forward(image, side) as [torch.Tensor, { probs: torch.Tensor; pooled: torch.Tensor }];
    expect(Object.keys(first[1])).toEqual(['probs', 'pooled']);
    close(first[0], g.logits);
    close(first[0], g.eager_logits, 1e-4);
    close(first[1].probs, g.probs);
    close(first[1].pooled, g.pooled);
    expect(compiled.getConstantFqns().sort()).toEqual(g.constant_fqns);
    const before = torch.liveTensors();
    for (let i = 0; i < 50; i++) {
      torch.tidy(() => {
        const [logits] = compiled.forward(image, side) as [torch.Tensor];
        expect(logits.tolist()).toEqual(first[0].tolist());
      });
    }
    expect(torch.liveTensors()).toBeLessThanOrEqual(before); // outputs freed with their scope (GC may free more)
    compiled.dispose();
  });

  it('loadConstants swaps weights without recompiling', () => {
    const compiled = torch._inductor.package.loadPackage(fixture(golden.two_input.package), 'model');
    const g = golden.two_input;
    const image = torch.tensor(g.image), side = torch.tensor(g.side);
    const weights = Object.fromEntries(compiled.getConstantFqns().map((name) => [name, torch.randn(1)]));
    expect(() => compiled.loadConstants({ nope: torch.zeros(1) }, { checkFullUpdate: false })).toThrow('Constant not found: nope');
    // New values of the right shapes: the head's weight zeroed leaves its bias as the logits.
    const convWeight = torch.randn(4, 1, 3, 3);
    weights['conv.weight'] = convWeight;
    weights['head.weight'] = torch.zeros(3, 66);
    compiled.loadConstants(weights, { checkFullUpdate: true });
    const [logits] = compiled.forward(image, side) as [torch.Tensor];
    close(logits, g.zeroed_logits);
    close(logits, [g.head_bias, g.head_bias]);
    compiled.dispose();
  });

  it('runAsync and forwardAsync run on worker threads, concurrently, with their inputs pinned', async () => {
    const compiled = torch.export.loadPackage(fixture(golden.mlp.package), { numRunners: 2 });
    const inputs = golden.mlp.inputs.map((x) => torch.tensor(x));
    const jobs = inputs.flatMap((x) => [compiled.runAsync([x]), compiled.forwardAsync(x)]);
    inputs.forEach((x) => x.dispose()); // the jobs hold their own references
    const results = await Promise.all(jobs);
    results.forEach((r, i) => close(Array.isArray(r) ? r[0] : (r as torch.Tensor), golden.mlp.outputs[Math.floor(i / 2)]));
    // A disposed model stays loaded until a queued run is done with it.
    const pending = compiled.runAsync([torch.tensor(golden.mlp.inputs[0])]);
    compiled.dispose();
    close((await pending)[0], golden.mlp.outputs[0]);
    await expect(compiled.runAsync([torch.ones(2, 4)])).rejects.toThrow('the AOTInductor package has been disposed');
  });

  it("wrong inputs throw the model's own message, and the model still runs afterwards", async () => {
    const compiled = torch.export.loadPackage(fixture(golden.mlp.package), { runSingleThreaded: true });
    expect(() => compiled.forward(torch.ones(2, 5))).toThrow('input_handles[0]: unmatched dim value at 1, expected: 4, but got: 5');
    expect(() => compiled.forward(torch.ones(2, 4, { dtype: torch.float64 }))).toThrow(/input_handles\[0\]: unmatched dtype, expected: 6\(at::kFloat\), but got: 7/);
    expect(() => compiled.forward(torch.ones(65, 4))).toThrow('input_handles[0]: dim value is too large at 0, expected to be <= 64, but got: 65');
    expect(() => compiled.forward(torch.ones(1, 4))).toThrow('input_handles[0]: dim value is too small at 0, expected it to be >= 2, but got: 1');
    expect(() => compiled.forward(torch.ones(4, 3).t())).toThrow('unmatched stride value at 0, expected: 4, but got: 1');
    expect(() => compiled.run([torch.ones(2, 4), torch.ones(2, 4)])).toThrow('expected inputs vector size to be 1, but got 2');
    expect(() => compiled.forward(torch.ones(2, 4), torch.ones(2, 4))).toThrow("forward: expected 1 input (the exported forward's arguments), got 2");
    expect(() => compiled.forward([torch.ones(2, 4)])).toThrow('forward inputs[0]: expected a Tensor, got an array of length 1');
    expect(() => compiled.run(['x' as unknown as torch.Tensor])).toThrow('run(inputs)[0]: expected a Tensor');
    await expect(compiled.forwardAsync(torch.ones(3, 5))).rejects.toThrow('unmatched dim value at 1, expected: 4, but got: 5');
    close(compiled.forward(torch.tensor(golden.mlp.inputs[1])) as torch.Tensor, golden.mlp.outputs[1]);
    const two = torch.export.loadPackage(fixture(golden.two_input.package));
    expect(() => two.forward(torch.ones(2, 1, 8, 8))).toThrow("forward: expected 2 inputs (the exported forward's arguments), got 1");
    compiled.dispose();
    two.dispose();
  });

  it('missing, corrupt and foreign files throw with the reason, never crash', () => {
    const load = (file: string) => () => torch.export.loadPackage(file);
    expect(load(path.join(tmp, 'missing.pt2'))).toThrow('Failed to initialize zip archive: file open failed');
    const bytes = fs.readFileSync(fixture(golden.mlp.package));
    const truncated = path.join(tmp, 'truncated.pt2');
    fs.writeFileSync(truncated, bytes.subarray(0, bytes.length >> 1));
    expect(load(truncated)).toThrow(/Failed to initialize zip archive/);
    expect(load(path.join(committed, 'aoti-golden.py'))).toThrow(/Failed to initialize zip archive/);
    expect(load(path.join(committed, 'scripted.pt'))).toThrow(/Failed to find a generated cpp file or so file for model 'model'/);
    expect(() => torch.export.loadPackage(fixture(golden.mlp.package), { modelName: 'other' })).toThrow(/for model 'other'[^]*Available models in the archive:\nmodel/);
    // A zip of one file: libtorch's loader would read a second name that is not there.
    const oneFile = path.join(tmp, 'one-file.pt2');
    const record = Buffer.alloc(22);
    record.writeUInt32LE(0x06054b50, 0);
    record.writeUInt16LE(1, 8);
    record.writeUInt16LE(1, 10);
    fs.writeFileSync(oneFile, record);
    expect(load(oneFile)).toThrow('is a zip of 1 file(s), not a .pt2 package');
    // Compiled for CUDA: refused before its library is loaded when CUDA is not available.
    const cuda = load(fixture('aoti-fake-cuda.pt2'));
    if (torch.cuda.isAvailable()) expect(cuda).toThrow();
    else expect(cuda).toThrow(/the AOTInductor package was compiled for cuda, but CUDA is not available/);
  });

  it('checks its arguments', () => {
    const file = fixture(golden.mlp.package);
    expect(() => torch.export.loadPackage(42 as unknown as string)).toThrow('loadPackage(path): expected a string, got 42');
    expect(() => torch.export.loadPackage(file, { numRunners: 0 })).toThrow('loadPackage(options.numRunners): expected an integer in [1, 1024], got 0');
    expect(() => torch.export.loadPackage(file, { runSingleThreaded: true, numRunners: 2 })).toThrow('expected 1 with runSingleThreaded');
    const compiled = torch.export.loadPackage(file);
    expect(() => compiled.loadConstants({}, {} as { checkFullUpdate: boolean })).toThrow('loadConstants(options.checkFullUpdate): expected a boolean');
    compiled.dispose();
    compiled.dispose(); // twice is fine
    expect(() => compiled.forward(torch.ones(2, 4))).toThrow('the AOTInductor package has been disposed');
  });

  it('process.exit() with a model still loaded leaves no extracted files in /tmp', () => {
    // The loader extracts the package into /tmp/XXXXXX; the child names the folders it made.
    const cjs = path.join(__dirname, '..', 'dist', 'cjs', 'index.js');
    if (!fs.existsSync(cjs)) return console.log('exit check skipped: dist/cjs not built (npm run build:ts)');
    const code = `const fs = require('fs'), torch = require(${JSON.stringify(cjs)});
      const before = new Set(fs.readdirSync('/tmp'));
      globalThis.model = torch.export.loadPackage(${JSON.stringify(fixture(golden.mlp.package))});
      console.log(JSON.stringify(fs.readdirSync('/tmp').filter((d) => !before.has(d) && fs.existsSync('/tmp/' + d + '/aoti-mlp'))));
      process.exit(0);`;
    const run = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const made = JSON.parse(run.stdout) as string[];
    expect(made.length).toBe(1);
    expect(fs.existsSync(path.join('/tmp', made[0]))).toBe(false);
  });

  it('torch.export and torch._inductor exist in the ESM build too', () => {
    const esm = path.join(__dirname, '..', 'dist', 'esm', 'index.mjs');
    if (!fs.existsSync(esm)) return console.log('ESM check skipped: dist/esm/index.mjs not built (npm run build:ts)');
    const code = `import * as torch from ${JSON.stringify(esm)};
      const m = torch.export.loadPackage(${JSON.stringify(fixture(golden.mlp.package))});
      console.log(typeof torch._inductor.aotiLoadPackage, m.forward(torch.ones(2, 4)).shape.join());`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('function 2,3');
  });
});

describe('pytree specs (how forward flattens inputs and nests outputs)', () => {
  // treespec_dumps((args, kwargs)) of forward(x, pair: list, *, extra: dict, none=None), as Python writes it.
  const leaf = { type: null, context: null, children_spec: [] };
  const node = (type: string, context: string, children: unknown[]) => ({ type, context, children_spec: children });
  const spec = JSON.stringify([1, node('builtins.tuple', 'null', [
    node('builtins.tuple', 'null', [leaf, node('builtins.list', 'null', [leaf, leaf])]),
    node('builtins.dict', '["extra", "none"]', [node('collections.OrderedDict', '["b", "a"]', [leaf, leaf]), node('builtins.NoneType', 'null', [])]),
  ])]);

  it('flattens along the spec (dict keys in the spec\'s order, numbers dropped) and nests back', () => {
    const tree = parseTreeSpec(spec);
    const [a, b, c, d, e] = [1, 2, 3, 4, 5].map((v) => torch.tensor([v]));
    const flat: torch.Tensor[] = [];
    flattenTensors([[a, [b, 7]], { extra: { a: e, b: d }, none: null }], tree, 'forward', flat);
    expect(flat.map((t) => t.item())).toEqual([1, 2, 4, 5]);
    const nested = unflatten([a, b, c, d, e], tree) as [[torch.Tensor, torch.Tensor[]], { extra: Record<string, torch.Tensor>; none: null }];
    expect(nested[0][1].map((t) => t.item())).toEqual([2, 3]);
    expect(Object.keys(nested[1].extra)).toEqual(['b', 'a']);
    expect(nested[1].extra.a.item()).toBe(5);
    expect(nested[1].none).toBeNull();
  });

  it('says where an input does not fit the spec', () => {
    const tree = parseTreeSpec(spec);
    const x = torch.ones(1);
    const flatten = (value: unknown) => () => flattenTensors(value, tree, 'forward', []);
    expect(flatten([[x, [x]], {}])).toThrow('forward[0][1]: expected an array of 2, got an array of length 1');
    expect(flatten([[x, [x, x]], { extra: { b: x }, none: null }])).toThrow('forward[1].extra: expected an object with keys [b, a], got keys [b]');
    expect(flatten([[x, [x, x]], { extra: { a: x, b: x }, none: x }])).toThrow("forward[1].none: expected null (Python's None), got a Tensor");
    expect(() => parseTreeSpec('[2, {}]')).toThrow('unsupported pytree spec protocol');
  });
});
