// Python's subscripts for tensors: x.get(':, 1:3, ..., None') is x[:, 1:3, ..., None] and
// x.set('0, :2', 5) is x[0, :2] = 5. Items may also be given one by one: integers, slice
// strings ('1:3', '::2', ':'), '...', null (a new axis), index tensors or boolean masks.
// Basic items become views (select/slice/unsqueeze); tensor items then go to aten::index,
// as PyTorch's own applySlicing does.
import type { Tensor } from './tensor';
import type { Scalar } from './ops/overload';
import { atenOp } from './ops/aten';
import { fail } from './ops/validate';

// Looked up on first use: this module loads before lib/tensor.ts has finished loading.
const slice = (x: Tensor, dim: number, start: number, end: number, step: number) =>
  atenOp('slice')!.Tensor(x, dim, start, end, step) as Tensor;
const alias = (x: Tensor) => atenOp('alias')!.default(x) as Tensor;
const index = (x: Tensor, indices: (Tensor | null)[]) => atenOp('index')!.Tensor(x, indices) as Tensor;

export type IndexItem = number | string | null | Tensor | number[];

interface Slice {
  start: number | null;
  stop: number | null;
  step: number;
}

type Parsed = number | Slice | 'ellipsis' | 'newaxis' | Tensor;

function isTensor(v: unknown): v is Tensor {
  return typeof v === 'object' && v !== null && '_h' in v;
}

function parseText(text: string): Parsed[] {
  return text.split(',').map((part) => {
    const s = part.trim();
    if (s === '...' || s === 'Ellipsis') return 'ellipsis';
    if (s === 'None' || s === 'null') return 'newaxis';
    if (/^-?\d+$/.test(s)) return Number(s);
    const m = s.match(/^(-?\d+)?\s*:\s*(-?\d+)?\s*(?::\s*(-?\d+)?)?$/);
    if (!m) throw new SyntaxError(`index: cannot read '${s}' (expected an integer, 'a:b:c', '...' or 'None')`);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (step <= 0) throw new RangeError(`index: step must be greater than zero, got ${step}`);
    return { start: m[1] === undefined ? null : Number(m[1]), stop: m[2] === undefined ? null : Number(m[2]), step };
  });
}

function parse(items: IndexItem[], lift: (list: number[]) => Tensor): Parsed[] {
  const out: Parsed[] = [];
  for (const item of items) {
    if (typeof item === 'string') out.push(...parseText(item));
    else if (item === null) out.push('newaxis');
    else if (typeof item === 'number') {
      if (!Number.isInteger(item)) throw new TypeError(`index: expected an integer, got ${item}`);
      out.push(item);
    } else if (Array.isArray(item)) out.push(lift(item));
    else if (isTensor(item)) out.push(item);
    else throw new TypeError(`index: expected an integer, a slice string, '...', null or a Tensor, got ${typeof item}`);
  }
  return out;
}

const INT64_MAX = Number.MAX_SAFE_INTEGER;

/** The basic-indexing view of x, and the advanced (tensor) indices still to apply. */
function applySlicing(x: Tensor, items: Parsed[]): { view: Tensor; tensors: (Tensor | null)[] } {
  let consumed = 0;
  for (const i of items) {
    if (i !== 'ellipsis' && i !== 'newaxis') consumed += isTensor(i) && i.dtype.name === 'bool' ? i.dim() : 1;
  }
  if (items.filter((i) => i === 'ellipsis').length > 1) throw new SyntaxError('index: an index can only have a single ellipsis (...)');
  const ndim = x.dim();
  if (consumed > ndim) throw new RangeError(`too many indices for tensor of dimension ${ndim}`);
  let view = x;
  let dim = 0;
  const tensors: (Tensor | null)[] = [];
  for (const item of items) {
    if (item === 'ellipsis') dim += ndim - consumed;
    else if (item === 'newaxis') view = view.unsqueeze(dim++);
    else if (typeof item === 'number') view = view.select(dim, item);
    else if (isTensor(item)) {
      while (tensors.length < dim) tensors.push(null);
      tensors.push(item);
      dim += item.dtype.name === 'bool' ? item.dim() : 1;
    } else {
      view = slice(view, dim++, item.start ?? 0, item.stop ?? INT64_MAX, item.step);
    }
  }
  return { view, tensors };
}

export function getIndex(x: Tensor, items: IndexItem[], lift: (list: number[]) => Tensor): Tensor {
  const { view, tensors } = applySlicing(x, parse(items, lift));
  if (tensors.length === 0) return view === x ? alias(x) : view;
  return index(view, tensors);
}

export function setIndex(x: Tensor, items: IndexItem[], value: Tensor | Scalar, lift: (list: number[]) => Tensor): void {
  if (!isTensor(value) && typeof value !== 'number' && typeof value !== 'boolean' && typeof value !== 'bigint') {
    fail('set()', 'a Tensor or a number as the value', value);
  }
  const { view, tensors } = applySlicing(x, parse(items, lift));
  if (tensors.length > 0) {
    view.indexPut_(tensors, isTensor(value) ? value : lift([Number(value)]).to(x.dtype).squeeze());
  } else if (isTensor(value)) {
    view.copy_(value);
  } else {
    view.fill_(value);
  }
}
