// Binds a JS call to one of an operator's overloads (the generated table in
// lib/generated/ops.ts), converts the arguments and calls the dispatcher through the one
// native entry point, callOp. Mirrors Python's argument parser: positional arguments in
// PyTorch's order, keyword arguments as a trailing options object (camelCase keys), the
// first overload that accepts the arguments wins.
import { native, type Handle } from '../native';
import { DType } from '../dtype';
import { Device, defaultDeviceString } from '../device';
import { Generator } from '../generator';
import { compileFastPath } from './fast-path';

export type Scalar = number | boolean | bigint;
export type Layout = 'strided' | 'sparse_coo' | 'sparse_csr';
export type MemoryFormat = 'contiguous_format' | 'preserve_format' | 'channels_last' | 'channels_last_3d';

/** [camelName, kind, flags (1 optional, 2 has default, 4 keyword-only), fixed list length] */
export type ParamData = [string, string, number, number?];
/** [op, overload, params, return types, index of the argument an in-place op returns] */
export type OverloadData = [string, string, ParamData[], string[], number];

// Operators whose Tensor arguments also take a number, wrapped natively as a 0-d tensor the
// way Python's argument parser does (so x.mul(2) records MulBackward0, as in PyTorch).
const NUMBERS_AS_TENSORS = new Set(['add', 'sub', 'mul', 'div', 'multiply', 'subtract', 'divide', 'true_divide']
  .flatMap((n) => [`aten::${n}`, `aten::${n}_`]));

const OPTIONAL = 1;
const HAS_DEFAULT = 2;
const KW_ONLY = 4;

const LAYOUTS: Record<string, number> = { strided: 0, sparse_coo: 1, sparse_csr: 2 };
export const MEMORY_FORMATS: Record<string, number> = {
  contiguous_format: 0, preserve_format: 1, channels_last: 2, channels_last_3d: 3,
};

/** How a tensor result becomes a JS object, and how a Tensor argument is recognized. */
export interface TensorHooks {
  Tensor: Function;
  isTensor(v: unknown): v is { _h: Handle };
  wrap(h: Handle): unknown;
}
let hooks: TensorHooks;
export function setTensorHooks(h: TensorHooks): void {
  hooks = h;
}

const NO_MATCH = Symbol('no match');

function isOptions(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

const isInt = (v: unknown) => (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
const isScalar = (v: unknown) => typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint';

function convertList(v: unknown, fixed: number | undefined, each: (e: unknown) => unknown): unknown {
  if (!Array.isArray(v)) {
    if (fixed && each(v) !== NO_MATCH) return v; // int[2] given as 2: the native side repeats it
    return NO_MATCH;
  }
  const out = new Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const e = each(v[i]);
    if (e === NO_MATCH) return NO_MATCH;
    out[i] = e;
  }
  return out;
}

function tensorArg(v: unknown): unknown {
  return hooks.isTensor(v) ? v._h : NO_MATCH;
}

/** The native form of one argument, or NO_MATCH when this overload cannot take it. */
function convert(kind: string, v: unknown, fixed: number | undefined): unknown {
  switch (kind) {
    case 'T': return tensorArg(v);
    case 'T|s': return isScalar(v) ? v : tensorArg(v);
    case 'T[]': return convertList(v, undefined, tensorArg);
    case 'T?[]': return convertList(v, undefined, (e) => (e === null || e === undefined ? null : tensorArg(e)));
    case 'i': return isInt(v) ? v : NO_MATCH;
    case 'i[]': return convertList(v, fixed, (e) => (isInt(e) ? e : NO_MATCH));
    case 'f': return typeof v === 'number' || typeof v === 'bigint' ? v : NO_MATCH;
    case 'f[]': return convertList(v, fixed, (e) => (typeof e === 'number' ? e : NO_MATCH));
    case 'b': return typeof v === 'boolean' ? v : NO_MATCH;
    case 'b[]': return convertList(v, fixed, (e) => (typeof e === 'boolean' ? e : NO_MATCH));
    case 's': return isScalar(v) ? v : NO_MATCH;
    case 's[]': return convertList(v, undefined, (e) => (isScalar(e) ? e : NO_MATCH));
    case 'str': return typeof v === 'string' ? v : NO_MATCH;
    case 'dtype': return v instanceof DType ? v.code : NO_MATCH;
    case 'layout': return typeof v === 'string' && v in LAYOUTS ? LAYOUTS[v] : NO_MATCH;
    case 'mf': return typeof v === 'string' && v in MEMORY_FORMATS ? MEMORY_FORMATS[v] : NO_MATCH;
    case 'dev': return typeof v === 'string' ? v : v instanceof Device ? v.toString() : NO_MATCH;
    case 'gen': return v instanceof Generator ? v._g : NO_MATCH;
    default: return NO_MATCH;
  }
}

/** One overload of an operator, ready to bind calls. */
class Overload {
  readonly op: string;
  readonly overload: string;
  readonly params: ParamData[];
  readonly returns: string[];
  readonly inplace: number;
  readonly names: Set<string>;
  /** Index of the int[] parameter that may be given as varargs (`zeros(2, 3)`), or -1. */
  readonly varargs: number;
  readonly isFactory: boolean;
  /** The `device` parameter a factory fills from torch.setDefaultDevice, or -1. */
  readonly defaultDeviceIndex: number;
  private id = -1;
  /** The JS object passed as the argument an in-place op writes (returned as its result). */
  private inplaceSource: unknown;

  constructor([op, overload, params, returns, inplace]: OverloadData, readonly selfIndex: number) {
    this.op = op;
    this.overload = overload;
    // 'T|s': a tensor, or a number the native side wraps (self stays a tensor).
    this.params = NUMBERS_AS_TENSORS.has(op)
      ? params.map((p) => (p[1] === 'T' && p[0] !== 'self' ? [p[0], 'T|s', p[2], p[3]] as ParamData : p))
      : params;
    this.returns = returns;
    this.inplace = inplace;
    this.names = new Set(params.map((p) => p[0]));
    // Python's rule: sizes go as varargs only when the list is the one positional argument.
    const positional = params.map((_, i) => i).filter((i) => i !== selfIndex && !(params[i][2] & KW_ONLY));
    this.varargs = positional.length === 1 && params[positional[0]][1] === 'i[]' ? positional[0] : -1;
    this.isFactory = params.some((p) => p[0] === 'dtype' && p[2] & KW_ONLY) && this.names.has('device');
    // As PyTorch's default-device mode: factories of new data, not *_like (which follow self).
    this.defaultDeviceIndex = this.isFactory && !this.names.has('self') ? params.findIndex((p) => p[0] === 'device') : -1;
  }

  get handle(): number {
    if (this.id < 0) this.id = native.opHandle(this.op, this.overload);
    return this.id;
  }

  /** The native argument list for this call, or null when this overload does not take it. */
  bind(self: unknown, args: unknown[], nargs: number, options: Record<string, unknown> | null): unknown[] | null {
    const params = this.params;
    const out = new Array(params.length);
    let next = 0;
    let used = 0;
    for (let i = 0; i < params.length; i++) {
      const [name, kind, flags, fixed] = params[i];
      let v: unknown;
      if (i === this.selfIndex) {
        v = self;
      } else if (!(flags & KW_ONLY) && next < nargs) {
        v = args[next++];
        if (i === this.varargs && isInt(v) && next < nargs && isInt(args[next])) {
          const list = [v];
          while (next < nargs && isInt(args[next])) list.push(args[next++]);
          v = list;
        }
      } else if (options !== null && name in options) {
        v = options[name];
        used++;
      }
      if (v === undefined && i === this.defaultDeviceIndex) v = defaultDeviceString() ?? undefined;
      if (v === undefined || v === null) {
        if (v === null && !(flags & OPTIONAL)) return null;
        if (v === undefined && !(flags & (OPTIONAL | HAS_DEFAULT))) return null;
        out[i] = v;
        continue;
      }
      if (i === this.inplace) this.inplaceSource = v;
      const c = i === this.varargs && isInt(v) ? [v] : convert(kind, v, fixed);
      if (c === NO_MATCH) return null;
      out[i] = c;
    }
    if (next < nargs) return null;
    if (options !== null) {
      let known = used;
      if (this.isFactory && 'requiresGrad' in options) known++;
      if (known !== Object.keys(options).length) return null;
    }
    return out;
  }

  call(argv: unknown[]): unknown {
    return native.callOp(this.handle, ...argv);
  }

  /** Python-style text of this overload's signature, for error messages. */
  signature(): string {
    const parts: string[] = [];
    let kw = false;
    this.params.forEach(([name, kind, flags], i) => {
      if (i === this.selfIndex) return;
      if (flags & KW_ONLY && !kw) {
        parts.push('*');
        kw = true;
      }
      parts.push(`${KIND_NAMES[kind] ?? kind}${flags & OPTIONAL ? '?' : ''} ${name}${flags & HAS_DEFAULT ? '=…' : ''}`);
    });
    return `(${parts.join(', ')})`;
  }

  wrapResult(result: unknown): unknown {
    if (this.inplace >= 0) {
      const source = this.inplaceSource;
      this.inplaceSource = undefined;
      return source;
    }
    if (this.returns.length === 1) return wrapValue(this.returns[0], result);
    if (this.returns.length === 0) return undefined;
    const list = result as unknown[];
    return list.map((r, i) => wrapValue(this.returns[i], r));
  }
}

const KIND_NAMES: Record<string, string> = {
  T: 'Tensor', 'T|s': 'Tensor', 'T[]': 'Tensor[]', 'T?[]': '(Tensor | null)[]', i: 'int', 'i[]': 'int[]', f: 'float',
  'f[]': 'float[]', b: 'bool', 'b[]': 'bool[]', s: 'Scalar', 's[]': 'Scalar[]', str: 'string',
  dtype: 'DType', layout: 'Layout', mf: 'MemoryFormat', dev: 'Device', gen: 'Generator',
};

function wrapValue(type: string, v: unknown): unknown {
  if (type === 'Tensor') return hooks.wrap(v as Handle);
  if (type === 'Tensor[]') return (v as Handle[]).map((h) => hooks.wrap(h));
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (hooks.isTensor(v)) return 'Tensor';
  if (Array.isArray(v)) return v.length ? `${describe(v[0])}[]` : '[]';
  if (v instanceof DType) return 'DType';
  if (isOptions(v)) return `{${Object.keys(v).join(', ')}}`;
  return typeof v;
}

/**
 * A callable for an operator: `fn(...args)` for functions, `fn.call(tensor, ...args)` for
 * methods (the receiver becomes the schema's `self`).
 */
export function makeOp(pythonName: string, table: OverloadData[], indices: number[], isMethod: boolean, eager = false): Function {
  const overloads = indices.map((i) => {
    const data = table[i];
    return new Overload(data, isMethod ? data[2].findIndex((p) => p[0] === 'self') : -1);
  });
  const single = overloads.length === 1 ? overloads[0] : null;

  function invoke(self: unknown, args: unknown[]): unknown {
    let nargs = args.length;
    let options: Record<string, unknown> | null = null;
    if (nargs > 0 && isOptions(args[nargs - 1])) {
      options = args[nargs - 1] as Record<string, unknown>;
      nargs--;
    }
    for (const ov of single ? [single] : overloads) {
      const argv = ov.bind(self, args, nargs, options);
      if (argv === null) continue;
      const result = ov.wrapResult(ov.call(argv));
      if (ov.isFactory && options?.requiresGrad) (result as { requiresGrad_(b: boolean): void }).requiresGrad_(true);
      return result;
    }
    const got = args.map(describe).join(', ');
    throw new TypeError(`${pythonName}() received an invalid combination of arguments - got (${got}), but expected one of:\n` +
      overloads.map((o) => ` * ${o.signature()}`).join('\n'));
  }

  const compile = () => compileFastPath(pythonName, overloads, isMethod, invoke, hooks.Tensor, hooks.wrap as (h: unknown) => unknown);
  if (eager) return compile();
  // Compiled on first call: generating every operator at import would add ~120 ms to start-up.
  let impl: Function | null = null;
  return function (this: unknown) {
    // eslint-disable-next-line prefer-rest-params
    return (impl ??= compile()).apply(this, arguments);
  };
}

/** An object of callables, one per name in a generated table. */
export function makeNamespace(prefix: string, table: OverloadData[], names: Record<string, number[]>): Record<string, Function> {
  const ns: Record<string, Function> = {};
  for (const [name, indices] of Object.entries(names)) ns[name] = makeOp(prefix + name, table, indices, false);
  return ns;
}
