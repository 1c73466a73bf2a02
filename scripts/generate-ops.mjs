#!/usr/bin/env node
// Generates the op surface of torch-node from libtorch's own operator declarations
// (native_functions.yaml, shipped in the torch wheel under torchgen/packaged), keeping only
// the operators the built addon finds registered in the dispatcher.
//   lib/generated/ops.ts        the overload table the runtime binds calls against
//   lib/generated/op-types.ts   TypeScript signatures for every generated function and method
// Run: npm run generate (after a native build). Exclusions are the data just below.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

// ---- exclusions (data) ------------------------------------------------------------------
// Argument types the binding does not accept (named tensors, storages, streams, ...).
const UNSUPPORTED_TYPES = /\b(Dimname|Storage|Stream|ConstQuantizerPtr|Any|GraphModule|Dict|Layout\[\])\b/;
// Python modules we expose, and the prefix their yaml names carry.
const MODULES = { linalg: 'linalg_', special: 'special_', fft: 'fft_', nn: '' };
// Names that are not public in Python's torch / Tensor (beyond a leading underscore).
const EXCLUDED_NAMES = new Set(['set_data', 'output_nr', 'retains_grad', 'numpy']);
// Hand-written in lib/tensor.ts, where Python's behaviour is more than the schema says.
const HANDWRITTEN = new Set(['data', 'to', 'size', 'item', 'backward', 'requires_grad_', 'retain_grad',
  'is_leaf', 'dim', 'numel', 'type', 'cpu', 'cuda', 'grad', 'tolist', 'contiguous']);
// torch.* functions written by hand in lib/ (never generated as exports).
const HANDWRITTEN_FUNCTIONS = new Set(['tensor', 'device', 'manualSeed', 'setNumThreads', 'getNumThreads',
  'isGradEnabled', 'setGradEnabled', 'noGrad', 'enableGrad', 'uniqueConsecutive']);
// -------------------------------------------------------------------------------------------

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function findYaml() {
  const candidates = [process.argv[2], process.env.LIBTORCH && path.join(process.env.LIBTORCH, '..', 'torchgen')];
  const libtorchFile = path.join(root, 'build', 'libtorch.json');
  if (fs.existsSync(libtorchFile)) candidates.push(path.join(JSON.parse(fs.readFileSync(libtorchFile, 'utf8')).root, '..', 'torchgen'));
  for (const c of candidates.filter(Boolean)) {
    const f = c.endsWith('.yaml') ? c : path.join(c, 'packaged', 'ATen', 'native', 'native_functions.yaml');
    if (fs.existsSync(f)) return f;
  }
  throw new Error('native_functions.yaml not found: pass its path, or a torchgen folder, as the first argument');
}

const camel = (s) => s.replace(/([a-z0-9])_([a-z0-9])/gi, (_, a, b) => a + b.toUpperCase())
  .replace(/([a-z0-9])_([a-z0-9])/gi, (_, a, b) => a + b.toUpperCase());

// "Tensor(a!)? self=None" -> { name, type, optional, def, fixed, write }
function parseArg(text, kwOnly) {
  const m = text.trim().match(/^(.+?)\s+(\w+)(?:=(.+))?$/);
  if (!m) throw new Error(`cannot parse argument '${text}'`);
  let type = m[1].replace(/\([a-z0-9!|*\s>-]+\)/g, (a) => (a.includes('!') ? '!' : ''));
  const write = type.includes('!');
  type = type.replace('!', '');
  const fixedMatch = type.match(/\[(\d+)\]/);
  const fixed = fixedMatch ? Number(fixedMatch[1]) : 0;
  type = type.replace(/\[\d+\]/, '[]');
  let optional = false;
  if (type.endsWith('?')) { optional = true; type = type.slice(0, -1); }
  type = type.replace(/^SymInt/, 'int').replace(/^SymFloat/, 'float').replace(/^SymBool/, 'bool');
  return { name: m[2], type, optional, hasDefault: m[3] !== undefined, kwOnly, fixed, write };
}

function splitTop(text) {
  const parts = []; let depth = 0; let cur = '';
  for (const ch of text) {
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth--;
    if (ch === ',' && depth === 0) { parts.push(cur); cur = ''; } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
}

function parseSchema(func) {
  const m = func.match(/^([\w.]+)\((.*)\)\s*->\s*(.+)$/);
  const [name, overload = ''] = m[1].split('.');
  let kwOnly = false;
  const args = [];
  for (const part of splitTop(m[2])) {
    if (part === '*') { kwOnly = true; continue; }
    args.push(parseArg(part, kwOnly));
  }
  let ret = m[3].trim();
  if (ret.startsWith('(')) ret = ret.slice(1, -1);
  const returns = ret === '' ? [] : splitTop(ret).map((r) => parseArg(r.includes(' ') ? r : `${r} _`, false));
  return { name, overload, args, returns, text: func };
}

const KIND = { Tensor: 'T', 'Tensor[]': 'T[]', 'Tensor?[]': 'T?[]', int: 'i', 'int[]': 'i[]', float: 'f',
  'float[]': 'f[]', bool: 'b', 'bool[]': 'b[]', Scalar: 's', 'Scalar[]': 's[]', str: 'str',
  ScalarType: 'dtype', Layout: 'layout', MemoryFormat: 'mf', Device: 'dev', Generator: 'gen' };

function kindOf(arg) {
  if (arg.type === 'Tensor?[]' || (arg.type === 'Tensor[]' && arg.optional && false)) return 'T?[]';
  return KIND[arg.type];
}

function main() {
  const yamlPath = findYaml();
  const entries = YAML.parse(fs.readFileSync(yamlPath, 'utf8'));
  const addon = require(path.join(root, 'build', 'Release', 'torch_node.node'));
  const registered = new Set(addon.listSchemas().map((s) => s.slice(0, s.indexOf('('))));

  const overloads = [];
  const tables = { functions: {}, methods: {}, linalg: {}, special: {}, fft: {}, nn: {}, aten: {} };
  const names = JSON.parse(fs.readFileSync(path.join(root, 'tools', 'python-names.json'), 'utf8'));
  const python = Object.fromEntries(['torch', 'Tensor', 'linalg', 'special', 'fft'].map((k) => [k, new Set(names[k])]));
  let skipped = 0;
  for (const e of entries) {
    const s = parseSchema(e.func);
    const qualified = `aten::${s.name}${s.overload ? '.' + s.overload : ''}`;
    const unsupported = UNSUPPORTED_TYPES.test(e.func) || s.args.some((a) => a.kwOnly && a.write) ||
      s.args.some((a) => !kindOf(a)) || s.returns.some((r) => !['Tensor', 'Tensor[]', 'int', 'float', 'bool', 'Scalar', 'ScalarType', 'int[]', 'float[]'].includes(r.type));
    if (unsupported || !registered.has(qualified)) { skipped++; continue; }
    const handwritten = HANDWRITTEN.has(s.name);
    const variants = (e.variants ?? 'function').split(',').map((v) => v.trim());
    const module = e.python_module;
    const params = s.args.map((a) => {
      const flags = (a.optional ? 1 : 0) | (a.hasDefault ? 2 : 0) | (a.kwOnly ? 4 : 0);
      const p = [camel(a.name), kindOf(a), flags];
      if (a.fixed) p.push(a.fixed);
      return p;
    });
    // Which argument an in-place return hands back (Tensor(a!) self -> Tensor(a!)).
    const inplace = s.returns.length === 1 && s.returns[0].write ? s.args.findIndex((a) => a.write) : -1;
    const index = overloads.length;
    overloads.push({ op: `aten::${s.name}`, overload: s.overload, params, returns: s.returns.map((r) => r.type), inplace, args: s.args, kwName: s.name });
    const add = (table, name) => ((tables[table][name] ??= []).push(index));
    add('aten', s.name);
    // Public names are the ones Python's torch has (tools/python-names.json); the rest stay
    // reachable as torch.ops.aten.<name>.<overload>.
    if (s.name.startsWith('_') || EXCLUDED_NAMES.has(s.name)) continue;
    if (module === 'nn') {
      if (variants.includes('function')) add('nn', camel(s.name));
    } else if (module) {
      const short = s.name.slice(MODULES[module]?.length ?? 0);
      if (module in MODULES && variants.includes('function') && python[module].has(short)) add(module, camel(short));
    } else {
      if (variants.includes('function') && python.torch.has(s.name)) add('functions', camel(s.name));
      if (variants.includes('method') && !handwritten && python.Tensor.has(s.name)) add('methods', camel(s.name));
    }
  }

  const header = `// Generated by scripts/generate-ops.mjs from ${path.basename(yamlPath)} (libtorch ${libtorchVersion()}); do not edit.\n`;
  const data = overloads.map((o) => [o.op, o.overload, o.params, o.returns, o.inplace]);
  let out = header + `import type { OverloadData } from '../ops/overload';\n\n`;
  out += `export const overloads: OverloadData[] = ${JSON.stringify(data)};\n\n`;
  for (const [table, map] of Object.entries(tables)) {
    out += `export const ${table}: Record<string, number[]> = ${JSON.stringify(map)};\n\n`;
  }
  fs.writeFileSync(path.join(root, 'lib', 'generated', 'ops.ts'), out);
  fs.writeFileSync(path.join(root, 'lib', 'generated', 'op-types.ts'), header + typesFile(overloads, tables));
  fs.writeFileSync(path.join(root, 'lib', 'generated', 'functions.ts'), header + functionsFile(tables));
  const count = (t) => Object.keys(tables[t]).length;
  console.log(`${overloads.length} overloads; functions ${count('functions')}, methods ${count('methods')}, linalg ${count('linalg')}, special ${count('special')}, fft ${count('fft')}, nn ${count('nn')}, aten ${count('aten')}; skipped ${skipped}`);
}

// ---- TypeScript signatures -----------------------------------------------------------------
const TS = { T: 'Tensor', 'T[]': 'Tensor[]', 'T?[]': '(Tensor | null)[]', i: 'number', 'i[]': 'number[]', f: 'number',
  'f[]': 'number[]', b: 'boolean', 'b[]': 'boolean[]', s: 'Scalar', 's[]': 'Scalar[]', str: 'string', dtype: 'DType',
  layout: 'Layout', mf: 'MemoryFormat', dev: 'DeviceLike', gen: 'Generator' };
const RET = { Tensor: 'Tensor', 'Tensor[]': 'Tensor[]', int: 'number', float: 'number', bool: 'boolean', Scalar: 'number', ScalarType: 'number', 'int[]': 'number[]', 'float[]': 'number[]' };

function paramType([, kind, flags, fixed]) {
  let t = TS[kind];
  if (fixed && kind.endsWith('[]')) t = `${TS[kind.slice(0, -2)]} | ${t}`;
  return flags & 1 ? `${t} | null` : t;
}

function signatures(o, isMethod) {
  let params = o.params;
  const selfIndex = isMethod ? params.findIndex((p) => p[0] === 'self') : -1;
  if (isMethod) params = params.filter((_, i) => i !== selfIndex);
  const positional = params.filter((p) => !(p[2] & 4));
  const optionsFields = params.filter((p) => p[2] & 6).map((p) => `${p[0]}?: ${paramType(p)}`);
  const ret = o.returns.length === 0 ? 'void' : o.returns.length === 1 ? (o.inplace >= 0 ? 'this' : RET[o.returns[0]]) : `[${o.returns.map((r) => RET[r]).join(', ')}]`;
  const retType = ret === 'this' && !isMethod ? 'Tensor' : ret;
  const isFactory = params.some((p) => p[0] === 'dtype' && p[2] & 4) && params.some((p) => p[0] === 'device');
  if (isFactory) optionsFields.push('requiresGrad?: boolean');
  const optionsType = optionsFields.length ? `{ ${optionsFields.join('; ')} }` : '';
  const options = optionsType ? `options?: ${optionsType}` : '';
  let firstOptional = positional.findIndex((p) => p[2] & 2);
  if (firstOptional < 0) firstOptional = positional.length;
  const selfName = params.some((p) => p[0] === 'input') ? 'self_' : 'input';
  const list = positional.map((p) => `${p[0] === 'self' ? selfName : safe(p[0])}: ${paramType(p)}`);
  // The options object may follow any number of the optional positional arguments
  // (x.sum(1, { keepdim: true })): one signature per cut.
  const sigs = [];
  for (let cut = firstOptional; cut <= positional.length; cut++) {
    sigs.push(`(${[...list.slice(0, cut), options].filter(Boolean).join(', ')}): ${retType}`);
  }
  // Sizes as varargs (torch.zeros(2, 3), x.view(2, -1)), with options after them.
  const last = positional[positional.length - 1];
  if (last && last[1] === 'i[]' && positional.length === 1) {
    const before = list.slice(0, -1);
    sigs.push(`(${[...before, `...${safe(last[0])}: number[]`].join(', ')}): ${retType}`);
    if (optionsType) sigs.push(`(${[...before, `...args: [...${safe(last[0])}: number[], options: ${optionsType}]`].join(', ')}): ${retType}`);
  }
  return sigs;
}
const RESERVED = new Set(['function', 'default', 'var', 'in', 'new', 'delete', 'class', 'return', 'switch', 'with', 'this', 'enum', 'const']);
const safe = (n) => (RESERVED.has(n) ? `${n}_` : n);

function libtorchVersion() {
  const file = path.join(root, 'build', 'libtorch.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')).versionFull ?? '') : '';
}

// torch.* as named exports (typed from op-types.ts), and the torch.linalg/special/fft namespaces.
function functionsFile(tables) {
  let out = `import { makeOp, makeNamespace } from '../ops/overload';\n`;
  out += `import { overloads, functions, linalg as linalgTable, special as specialTable, fft as fftTable } from './ops';\n`;
  out += `import type { TorchFunctions, LinalgFunctions, SpecialFunctions, FftFunctions } from './op-types';\n\n`;
  out += `const f = <K extends keyof TorchFunctions>(name: K) => makeOp(\`torch.\${name}\`, overloads, functions[name], false) as unknown as TorchFunctions[K];\n\n`;
  for (const name of Object.keys(tables.functions).sort()) {
    if (HANDWRITTEN_FUNCTIONS.has(name)) continue;
    if (RESERVED.has(name)) out += `const ${name}_ = f('${name}');\nexport { ${name}_ as ${name} };\n`;
    else out += `export const ${name} = f('${name}');\n`;
  }
  out += `\nexport const linalg = makeNamespace('torch.linalg.', overloads, linalgTable) as unknown as LinalgFunctions;\n`;
  out += `export const special = makeNamespace('torch.special.', overloads, specialTable) as unknown as SpecialFunctions;\n`;
  out += `export const fft = makeNamespace('torch.fft.', overloads, fftTable) as unknown as FftFunctions;\n`;
  return out;
}

function typesFile(overloads, tables) {
  let out = `import type { Tensor } from '../tensor';\nimport type { DType } from '../dtype';\nimport type { DeviceLike } from '../device';\nimport type { Generator } from '../generator';\nimport type { Scalar, Layout, MemoryFormat } from '../ops/overload';\n\n`;
  const block = (iface, table, isMethod) => {
    out += `export interface ${iface} {\n`;
    for (const [name, list] of Object.entries(table).sort()) {
      const sigs = [...new Set(list.flatMap((i) => signatures(overloads[i], isMethod)))];
      const key = /^\w+$/.test(name) ? name : JSON.stringify(name);
      out += sigs.map((s) => `  ${key}${s};\n`).join('');
    }
    out += '}\n\n';
  };
  block('TensorMethods', tables.methods, true);
  block('TorchFunctions', tables.functions, false);
  block('LinalgFunctions', tables.linalg, false);
  block('SpecialFunctions', tables.special, false);
  block('FftFunctions', tables.fft, false);
  block('NnFunctions', tables.nn, false);
  return out;
}

main();
