// PyTorch's pytree specs as torch.export serializes them (torch.utils._pytree.treespec_dumps,
// protocol 1): how a compiled model's inputs flatten into its list of tensors and how its flat
// outputs nest back into tuples and dicts. JS arrays stand for tuples and lists, plain objects
// for dicts, null for None.
import { Tensor } from './tensor';
import { describeValue } from './ops/validate';

export interface TreeSpec {
  type: string | null; // null: a leaf
  context: string | null; // JSON: a dict's keys, a namedtuple's type name
  children_spec: TreeSpec[];
}

const sequenceTypes = new Set(['builtins.tuple', 'builtins.list', 'collections.namedtuple', 'collections.deque',
  'torch.fx.immutable_collections.immutable_list']);
const dictTypes = new Set(['builtins.dict', 'collections.OrderedDict', 'torch.fx.immutable_collections.immutable_dict']);

/** Parses `treespec_dumps` output; throws on another protocol. */
export function parseTreeSpec(text: string): TreeSpec {
  const parsed = JSON.parse(text) as [number, TreeSpec];
  if (!Array.isArray(parsed) || parsed[0] !== 1) throw new Error(`unsupported pytree spec protocol: ${text.slice(0, 40)}`);
  return parsed[1];
}

/** A dict node's keys, in the order its children are flattened. */
export function dictKeys(spec: TreeSpec): string[] {
  const context = JSON.parse(spec.context ?? '[]') as unknown;
  // defaultdict: {"default_factory_module", "default_factory_name", "dict_context": [keys]}
  const keys = Array.isArray(context) ? context : (context as { dict_context: unknown[] }).dict_context;
  return keys.map(String);
}

function isDictType(type: string): boolean {
  return dictTypes.has(type) || type === 'collections.defaultdict';
}

/**
 * Appends the tensors of `value`, read along `spec`, to `out`. Leaves that are not tensors
 * (numbers the export specialized on) are dropped, as Python's AOTICompiledModel does.
 */
export function flattenTensors(value: unknown, spec: TreeSpec, where: string, out: Tensor[]): void {
  const { type } = spec;
  if (type === null) {
    if (value instanceof Tensor) out.push(value);
    else if (value !== null && typeof value === 'object') throw new TypeError(`${where}: expected a Tensor, got ${describeValue(value)}`);
    return;
  }
  if (sequenceTypes.has(type)) {
    const n = spec.children_spec.length;
    if (!Array.isArray(value) || value.length !== n) throw new TypeError(`${where}: expected an array of ${n}, got ${describeValue(value)}`);
    spec.children_spec.forEach((child, i) => flattenTensors(value[i], child, `${where}[${i}]`, out));
    return;
  }
  if (isDictType(type)) {
    const keys = dictKeys(spec);
    const object = value instanceof Map ? Object.fromEntries(value) : value;
    if (object === null || typeof object !== 'object' || Array.isArray(object) || object instanceof Tensor) {
      throw new TypeError(`${where}: expected an object with keys [${keys.join(', ')}], got ${describeValue(value)}`);
    }
    const given = Object.keys(object);
    if (given.length !== keys.length || !keys.every((k) => k in object)) {
      throw new TypeError(`${where}: expected an object with keys [${keys.join(', ')}], got keys [${given.join(', ')}]`);
    }
    keys.forEach((key, i) => flattenTensors((object as Record<string, unknown>)[key], spec.children_spec[i], `${where}.${key}`, out));
    return;
  }
  if (type === 'builtins.NoneType') {
    if (value != null) throw new TypeError(`${where}: expected null (Python's None), got ${describeValue(value)}`);
    return;
  }
  throw new TypeError(`${where}: the model takes a ${type}, which torch-node cannot build`);
}

/** Nests flat `leaves` back into the structure `spec` describes; consumes them in order. */
export function unflatten(leaves: Tensor[], spec: TreeSpec, next = { index: 0 }): unknown {
  const { type } = spec;
  if (type === null) return leaves[next.index++];
  if (type === 'builtins.NoneType') return null;
  const children = spec.children_spec.map((child) => unflatten(leaves, child, next));
  if (!isDictType(type)) return children;
  const keys = dictKeys(spec);
  return Object.fromEntries(keys.map((key, i) => [key, children[i]]));
}
