// Compares torch-node's names with PyTorch's own (tools/python-names.json, written by
// tools/python-names.py from `dir(torch)`, `dir(torch.Tensor)`, ...) under the naming rule
// (snake_case -> camelCase) and prints the coverage per namespace, with what is missing.
// Run: npm run coverage   (builds dist/ first)   --missing prints the missing names.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const torch = require(path.join(root, 'dist', 'cjs', 'index.js'));
const python = JSON.parse(fs.readFileSync(path.join(root, 'tools', 'python-names.json'), 'utf8'));

// Not counted (and why): Python classes and types (capitalized: storages, legacy tensor types,
// JIT/TorchScript classes), and Python-only machinery with no meaning without Python.
const PYTHON_ONLY = new Set(['from_numpy', 'frombuffer', 'from_dlpack', 'to_dlpack', 'compile', 'jit', 'fx', 'export',
  'onnx', 'package', 'library', 'overrides', 'utils', 'testing', 'hub', 'backends', 'multiprocessing', 'profiler',
  'quantization', 'ao', 'compiler', 'dynamo', 'func', 'futures', 'monitor', 'masked', 'nested', 'sparse', 'random',
  'serialization', 'storage', 'types', 'typename', 'version', 'classes', 'contrib', 'functional', 'hub', 'mps', 'xpu',
  'mtia', 'cpu', 'accelerator', 'amp', 'distributed', 'distributions', 'signal', 'return_types', 'torch_version',
  'is_storage', 'set_default_tensor_type', 'compiled_with_cxx11_abi', 'ops',
  'autograd', 'cuda', 'nn', 'optim', 'linalg', 'special', 'fft', 'device', 'dtype', 'finfo', 'iinfo', 'layout',
  'memory_format', 'qscheme', 'Generator', 'Size', 'Tensor', 'storage', 'overload', 'numpy', 'is_tensor']);

// Names PyTorch 2.11 still lists that only raise (removed since 1.9), or that serve Python's own
// machinery or backends we do not bind: not counted, with the reason.
const NOT_COUNTED = {
  torch: {
    'removed in PyTorch (they raise, pointing to torch.linalg)': ['eig', 'lstsq', 'solve', 'symeig', 'matrix_rank'],
    'symbolic shapes for torch.compile': ['sym_float', 'sym_fresh_size', 'sym_int', 'sym_ite', 'sym_max', 'sym_min', 'sym_not', 'sym_sqrt', 'sym_sum'],
    'TorchScript internals (IR, schemas, type comments, futures)': ['parse_ir', 'parse_schema', 'parse_type_comment', 'merge_type_from_type_comment',
      'import_ir_module', 'import_ir_module_from_buffer', 'unify_type_list', 'fork', 'wait'],
    'torch.compile control flow and functorch transforms (they trace Python)': ['cond', 'while_loop', 'vmap'],
    'Python machinery': ['classproperty', 'get_file_path', 'get_device_module', 'prepare_multiprocessing_environment'],
    'IPU and XLA backends': ['get_autocast_ipu_dtype', 'get_autocast_xla_dtype', 'is_autocast_ipu_enabled', 'is_autocast_xla_enabled',
      'set_autocast_ipu_dtype', 'set_autocast_ipu_enabled', 'set_autocast_xla_dtype', 'set_autocast_xla_enabled'],
  },
  Tensor: {
    'removed in PyTorch (they raise)': ['eig', 'lstsq', 'solve', 'symeig', 'reinforce'],
    'Python machinery (subclasses, per-element Python callables, module loading, legacy constructor)': ['as_subclass', 'apply_', 'map_', 'map2_', 'module_load', 'new'],
    'multiprocessing and storages': ['share_memory_', 'is_shared', 'storage_type', 'untyped_storage'],
    'IPU backend': ['ipu'],
  },
};
const notCounted = (space, name) => Object.values(NOT_COUNTED[space] ?? {}).some((names) => names.includes(name));

const camel = (s) => s.replace(/([a-z0-9])_+([a-z0-9])/gi, (_, a, b) => a + b.toUpperCase());
const countable = (name) => !name.startsWith('_') && !/^[A-Z]/.test(name) && !PYTHON_ONLY.has(name);

function tensorMembers() {
  const names = new Set();
  for (let p = torch.Tensor.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const n of Object.getOwnPropertyNames(p)) names.add(n);
  }
  return names;
}

const spaces = {
  torch: [python.torch, new Set(Object.keys(torch))],
  Tensor: [python.Tensor, tensorMembers()],
  linalg: [python.linalg, new Set(Object.keys(torch.linalg))],
  special: [python.special, new Set(Object.keys(torch.special))],
  fft: [python.fft, new Set(Object.keys(torch.fft))],
  'nn.functional': [python['nn.functional'], new Set(Object.keys(torch.nn.functional))],
};

let total = 0;
let covered = 0;
const lines = [];
for (const [space, [names, ours]] of Object.entries(spaces)) {
  const counted = names.filter((n) => countable(n) && !notCounted(space, n));
  const missing = counted.filter((n) => !ours.has(camel(n)) && !ours.has(n));
  total += counted.length;
  covered += counted.length - missing.length;
  const pct = ((100 * (counted.length - missing.length)) / counted.length).toFixed(1);
  console.log(`${space.padEnd(14)} ${String(counted.length - missing.length).padStart(4)} / ${String(counted.length).padEnd(4)} ${pct}%`);
  if (process.argv.includes('--missing')) lines.push(`${space}: ${missing.join(' ')}`);
}
console.log(`all            ${String(covered).padStart(4)} / ${String(total).padEnd(4)} ${((100 * covered) / total).toFixed(1)}%  (PyTorch ${python.version})`);
if (lines.length) console.log('\nmissing:\n' + lines.join('\n\n'));
if (process.argv.includes('--missing')) {
  console.log('\nnot counted:');
  for (const [space, reasons] of Object.entries(NOT_COUNTED)) {
    for (const [reason, names] of Object.entries(reasons)) console.log(`${space}: ${reason}: ${names.join(' ')}`);
  }
}
