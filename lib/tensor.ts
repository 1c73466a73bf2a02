// The Tensor class: a thin JS object over a native handle. Hand-written here is only what
// no operator schema says (metadata, data access, autograd plumbing, lifetime, printing);
// every operator method (add, view, sum, ...) is installed from the generated table.
import { native, type Handle } from './native';
import { DType, dtypeFromCode } from './dtype';
import * as dtypes from './dtype';
import { tensor as newTensorHook } from './creation';
import { Device, type DeviceLike, deviceString } from './device';
import { makeOp, setTensorHooks, MEMORY_FORMATS, type Scalar, type MemoryFormat } from './ops/overload';
import { atenOp } from './ops/aten';
import { overloads, methods } from './generated/ops';
import type { TensorMethods } from './generated/op-types';
import { formatTensor } from './format';
import { currentScope } from './scope';
import { getIndex, setIndex, type IndexItem } from './indexing';
import { unique, uniqueConsecutive, type UniqueOptions } from './unique';
import { lu, type LuOptions } from './lu';
import { dimOrder } from './dim-order';
import { expectBoolean, expectInteger, expectOptions, fail } from './ops/validate';
import { itemAsync, toTypedArrayAsync, tolistAsync } from './async';

/** What `x.gradFn` returns: the autograd node that made a tensor (Python's `grad_fn`). */
export interface GradFn {
  name(): string;
}

export interface BackwardOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
}

export interface ToOptions {
  nonBlocking?: boolean;
  copy?: boolean;
}

/** What `registerHook` returns, as PyTorch's `torch.utils.hooks.RemovableHandle`. */
export interface RemovableHandle {
  remove(): void;
}

export interface Tensor extends TensorMethods {}

export class Tensor {
  /** The native handle; every call checks it was not disposed. @internal */
  _h: Handle;

  /** @internal Use torch.tensor(), torch.zeros(), ... to create tensors. */
  constructor(handle: Handle) {
    this._h = handle;
  }

  get shape(): number[] {
    return native.shape(this._h);
  }

  get dtype(): DType {
    return dtypeFromCode(native.dtype(this._h));
  }

  get device(): Device {
    return new Device(native.device(this._h));
  }

  get isCuda(): boolean {
    return native.device(this._h).startsWith('cuda');
  }

  get ndim(): number {
    return native.shape(this._h).length;
  }

  /** Python's `x.T` (dimensions reversed), `x.mT` (last two swapped), `x.H`/`x.mH` (conjugated). */
  get T(): Tensor { return numpyTOp(this) as Tensor; }
  get mT(): Tensor { return mTOp(this) as Tensor; }
  get H(): Tensor {
    const n = this.ndim;
    if (n > 2) throw new RangeError(`tensor.H is only supported on matrices (2-D tensors). Got ${n}-D tensor.`);
    return n <= 1 ? this.conj() : this.T.conj();
  }
  get mH(): Tensor { return this.adjoint(); }

  /** `x.size()` is the shape; `x.size(d)` one dimension (negative d counts from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    const shape = native.shape(this._h);
    return dim === undefined ? shape : shape[wrapDim('size', dim, shape.length)];
  }

  dim(): number {
    return this.ndim;
  }

  numel(): number {
    return native.shape(this._h).reduce((a, b) => a * b, 1);
  }

  /** Strides in elements: `x.stride()` for all dimensions, `x.stride(d)` for one. */
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    const strides = native.strides(this._h);
    return dim === undefined ? strides : strides[wrapDim('stride', dim, strides.length)];
  }

  storageOffset(): number {
    return native.storageOffset(this._h);
  }

  isContiguous(memoryFormat: MemoryFormat = 'contiguous_format'): boolean {
    if (!(memoryFormat in MEMORY_FORMATS)) fail('isContiguous(memoryFormat)', `one of ${Object.keys(MEMORY_FORMATS).join(', ')}`, memoryFormat);
    return native.isContiguous(this._h, MEMORY_FORMATS[memoryFormat]);
  }

  elementSize(): number {
    return this.dtype.itemsize;
  }

  nelement(): number {
    return this.numel();
  }

  ndimension(): number {
    return this.ndim;
  }

  /** The CUDA device index, or -1 for a CPU tensor (Python's get_device). */
  getDevice(): number {
    const d = this.device;
    return d.type === 'cpu' ? -1 : (d.index ?? 0);
  }

  /** The address of the first element, as a BigInt (Python's data_ptr(); 0n without storage). */
  dataPtr(): bigint {
    return native.dataPtr(this._h);
  }

  /**
   * Without an argument, the legacy type name (`'torch.FloatTensor'`, `'torch.cuda.LongTensor'`);
   * with a dtype or such a name, this tensor converted to it (Python's Tensor.type).
   */
  type(): string;
  type(dtype: DType | string): Tensor;
  type(dtype?: DType | string): string | Tensor {
    if (dtype === undefined) {
      const name = LEGACY_TYPE_NAMES[this.dtype.name];
      if (!name) throw new Error(`no legacy type name for ${this.dtype}`);
      return `torch.${this.isCuda ? 'cuda.' : ''}${name}Tensor`;
    }
    if (dtype instanceof DType) return this.to(dtype);
    const match = typeof dtype === 'string' ? /^torch\.(cuda\.)?(\w+)Tensor$/.exec(dtype) : null;
    const target = match && Object.entries(LEGACY_TYPE_NAMES).find(([, n]) => n === match[2]);
    if (!match || !target) fail('type(dtype)', "a torch dtype or a name such as 'torch.DoubleTensor'", dtype);
    return this.to(match[1] ? 'cuda' : 'cpu', (dtypes as unknown as Record<string, DType>)[target[0]]);
  }

  /** A new tensor of `data` with this tensor's dtype and device unless given (Python's new_tensor). */
  newTensor(data: unknown, options: { dtype?: DType; device?: DeviceLike; requiresGrad?: boolean } = {}): Tensor {
    expectOptions('newTensor(options)', options);
    return newTensorHook(data as Parameters<typeof newTensorHook>[0], { dtype: this.dtype, device: this.device, ...options });
  }

  /**
   * The dimensions in memory order, outermost first: [0, 1, 2, 3] for a contiguous 4-D tensor,
   * [0, 2, 3, 1] for channels-last (Python's dim_order). With ambiguityCheck true (or a list of
   * memory formats that must tell it apart), an order that is not unique throws.
   */
  dimOrder(options: { ambiguityCheck?: boolean | MemoryFormat[] } = {}): number[] {
    expectOptions('dimOrder(options)', options);
    return dimOrder(this, options.ambiguityCheck ?? false);
  }

  /** Python's Tensor.to_sparse_coo: the same as toSparse(). */
  toSparseCoo(): Tensor {
    return (this as unknown as { toSparse(): Tensor }).toSparse();
  }

  /** The LU factorization (torch.lu): [LU, pivots], or with getInfos [LU, pivots, infos]. */
  lu(options: LuOptions = {}): [Tensor, Tensor] | [Tensor, Tensor, Tensor] {
    return lu(this, options);
  }

  /** The distinct values (sorted); with returnInverse/returnCounts, a list as in Python. */
  unique(options?: UniqueOptions): Tensor | Tensor[] {
    expectOptions('unique(options)', options);
    return unique(this, options);
  }

  uniqueConsecutive(options?: Omit<UniqueOptions, 'sorted'>): Tensor | Tensor[] {
    expectOptions('uniqueConsecutive(options)', options);
    return uniqueConsecutive(this, options);
  }

  /** The value of a one-element tensor: a number, or a boolean for a bool tensor (`item<boolean>()`). */
  item<T extends number | boolean = number>(): T {
    return native.item(this._h) as T;
  }

  /** The values as nested JS arrays (a number for a 0-d tensor), like Python's `tolist()`. */
  tolist(): unknown {
    const shape = this.shape;
    const flat = Array.from(native.toTypedArray(this._h) as unknown as ArrayLike<number | bigint>,
      (v) => (typeof v === 'bigint' ? Number(v) : v));
    const values = this.dtype.name === 'bool' ? flat.map((v) => v !== 0) : flat;
    if (shape.length === 0) return values[0];
    let offset = 0;
    const build = (d: number): unknown[] => {
      const out: unknown[] = [];
      for (let i = 0; i < shape[d]; i++) out.push(d === shape.length - 1 ? values[offset++] : build(d + 1));
      return out;
    };
    return build(0);
  }

  /** A copy of the values in a TypedArray of the tensor's dtype (float16/bfloat16 as Float32Array). */
  toTypedArray(): ArrayBufferView {
    return native.toTypedArray(this._h);
  }

  /** item() on a libuv worker thread (waits for a GPU without blocking the event loop); rules in lib/async.ts. */
  itemAsync<T extends number | boolean = number>(): Promise<T> {
    return itemAsync<T>(this);
  }

  /** toTypedArray() with the copy made on a libuv worker thread. */
  toTypedArrayAsync(): Promise<ArrayBufferView> {
    return toTypedArrayAsync(this);
  }

  /** tolist() with the copy made on a libuv worker thread. */
  tolistAsync(): Promise<unknown> {
    return tolistAsync(this);
  }

  /** A zero-copy TypedArray over a contiguous CPU tensor's memory; writes change the tensor. */
  typedArrayView(): ArrayBufferView {
    return native.dataView(this._h);
  }

  /** Python's `x.data`: the same values, detached from autograd. */
  get data(): Tensor {
    return this.detach();
  }

  /**
   * `to(dtype)`, `to(device)`, `to(device, dtype)`, `to(other)`: a tensor with that dtype and
   * device (this one when nothing changes, unless `{ copy: true }`).
   */
  to(...args: (DType | DeviceLike | Tensor | ToOptions)[]): Tensor {
    let dtype: DType | undefined;
    let device: string | undefined;
    let options: ToOptions = {};
    for (const a of args) {
      if (a instanceof DType) dtype = a;
      else if (a instanceof Tensor) {
        dtype = a.dtype;
        device = native.device(a._h);
      } else if (typeof a === 'string' || a instanceof Device) device = deviceString(a);
      else if (a && typeof a === 'object') options = a;
      else throw new TypeError(`to(): expected a dtype, a device, a Tensor or options, got ${String(a)}`);
    }
    if (device?.startsWith('cuda') && !native.cudaIsAvailable()) {
      throw new Error(`CUDA is not available: ${native.cudaLoadError() || 'no CUDA device is visible'}`);
    }
    return toOp.call(this, device ?? native.device(this._h), dtype ?? this.dtype,
      options.nonBlocking ?? false, options.copy ?? false) as Tensor;
  }

  cpu(): Tensor {
    return this.to('cpu');
  }

  cuda(device: number | DeviceLike = 'cuda'): Tensor {
    return this.to(typeof device === 'number' ? `cuda:${device}` : device);
  }

  float(): Tensor { return this.to(dtypeFromCode(6)); }
  double(): Tensor { return this.to(dtypeFromCode(7)); }
  half(): Tensor { return this.to(dtypeFromCode(5)); }
  bfloat16(): Tensor { return this.to(dtypeFromCode(15)); }
  long(): Tensor { return this.to(dtypeFromCode(4)); }
  int(): Tensor { return this.to(dtypeFromCode(3)); }
  bool(): Tensor { return this.to(dtypeFromCode(11)); }
  byte(): Tensor { return this.to(dtypeFromCode(0)); }
  char(): Tensor { return this.to(dtypeFromCode(1)); }
  short(): Tensor { return this.to(dtypeFromCode(2)); }
  cfloat(): Tensor { return this.to(dtypeFromCode(9)); }
  cdouble(): Tensor { return this.to(dtypeFromCode(10)); }

  contiguous(options?: { memoryFormat?: MemoryFormat }): Tensor {
    return (options ? contiguousOp.call(this, options) : contiguousOp.call(this)) as Tensor;
  }

  // ---- indexing ---------------------------------------------------------------------------

  /** Python's `x[...]`: `x.get(':, 1:3, ..., None')`, `x.get(0, '::2')`, `x.get(mask)`. */
  get(...index: IndexItem[]): Tensor {
    return getIndex(this, index, longTensor);
  }

  /** Python's `x[...] = value`, in place: `x.set('0, :2', 5)`, `x.set([mask], other)`. */
  set(index: IndexItem | IndexItem[], value: Tensor | Scalar): this {
    setIndex(this, Array.isArray(index) && !index.every((i) => typeof i === 'number') ? index : [index as IndexItem], value, longTensor);
    return this;
  }

  // ---- autograd ----------------------------------------------------------------------------

  get requiresGrad(): boolean {
    return native.requiresGrad(this._h);
  }

  set requiresGrad(value: boolean) {
    expectBoolean('requiresGrad', value);
    native.setRequiresGrad(this._h, value);
  }

  requiresGrad_(value = true): this {
    expectBoolean('requiresGrad_(value)', value);
    native.setRequiresGrad(this._h, value);
    return this;
  }

  get grad(): Tensor | null {
    const h = native.grad(this._h);
    return h === null ? null : wrap(h);
  }

  /** Checked as PyTorch checks it: a gradient of another shape, dtype or device would fail
   * (or corrupt memory) when backward() accumulates into it. */
  set grad(value: Tensor | null) {
    if (value !== null) {
      if (!(value instanceof Tensor)) fail('grad', 'a Tensor or null', value);
      if (value.dtype !== this.dtype) throw new TypeError(`assigned grad has data of a different type (${value.dtype} for a ${this.dtype} tensor)`);
      if (native.device(value._h) !== native.device(this._h)) throw new RangeError('assigned grad has data located on a different device');
      const [a, b] = [value.shape, this.shape];
      if (a.length !== b.length || a.some((d, i) => d !== b[i])) throw new RangeError(`assigned grad has data of a different size ([${a}] for a tensor of size [${b}])`);
    }
    native.setGrad(this._h, value === null ? null : value._h);
  }

  get isLeaf(): boolean {
    return native.isLeaf(this._h);
  }

  get gradFn(): GradFn | null {
    const name = native.gradFnName(this._h);
    return name === null ? null : { name: () => name, toString: () => `<${name}>` } as GradFn;
  }

  retainGrad(): void {
    native.retainGrad(this._h);
  }

  /** Whether backward keeps this non-leaf tensor's gradient in `grad` (after `retainGrad()`). */
  get retainsGrad(): boolean {
    return native.retainsGrad(this._h);
  }

  /**
   * Calls hook(tensor) after each backward that accumulated into this leaf's .grad, in the order
   * registered (Python's register_post_accumulate_grad_hook: e.g. to step an optimizer per
   * parameter inside backward). The tensor passed is this leaf (another wrapper of it).
   */
  registerPostAccumulateGradHook(hook: (tensor: Tensor) => void): RemovableHandle {
    if (typeof hook !== 'function') fail('registerPostAccumulateGradHook(hook)', 'a function', hook);
    let hooks = postAccumulateGradHooks.get(this);
    if (!hooks) {
      const all = new Map<number, (tensor: Tensor) => void>();
      // One native hook per leaf (libtorch keeps one); it must not hold `this`, or the leaf
      // could never be collected.
      native.setPostAccumulateGradHook(this._h, (h) => {
        const leaf = wrap(h);
        for (const f of [...all.values()]) f(leaf);
      });
      postAccumulateGradHooks.set(this, all);
      hooks = all;
    }
    const id = nextHookId++;
    hooks.set(id, hook);
    return { remove: () => { hooks.delete(id); } };
  }

  /**
   * Calls `hook(grad)` each time this tensor's gradient is computed during backward; a tensor
   * it returns replaces the gradient. As PyTorch's `register_hook`; `remove()` unregisters it.
   */
  registerHook(hook: (grad: Tensor) => Tensor | void): RemovableHandle {
    if (typeof hook !== 'function') fail('registerHook(hook)', 'a function', hook);
    const index = native.registerHook(this._h, (grad) => {
      const result = hook(wrap(grad));
      if (result == null) return undefined;
      if (!(result instanceof Tensor)) fail('registerHook: the hook returned', 'a Tensor or nothing', result);
      return result._h;
    });
    let removed = false;
    return {
      remove: () => {
        if (!removed) native.removeHook(this._h, index);
        removed = true;
      },
    };
  }

  backward(gradient?: Tensor | null, options: BackwardOptions = {}): void {
    if (gradient != null && !(gradient instanceof Tensor)) {
      if (typeof gradient !== 'object' || Array.isArray(gradient)) fail('backward(gradient)', 'a Tensor, null or an options object', gradient);
      options = gradient as BackwardOptions;
      gradient = null;
    }
    expectOptions('backward(options)', options);
    if (gradient) {
      const [a, b] = [gradient.shape, this.shape];
      if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
        throw new RangeError(`Mismatch in shape: grad_output[0] has a shape of [${a}] and output[0] has a shape of [${b}]`);
      }
    }
    native.backward(this._h, gradient ? gradient._h : null, options.retainGraph ?? null, options.createGraph ?? false);
  }

  // ---- lifetime ----------------------------------------------------------------------------

  /** Frees the native memory now; any later use of this tensor throws. Idempotent. */
  dispose(): void {
    native.dispose(this._h);
  }

  [Symbol.dispose](): void {
    native.dispose(this._h);
  }

  get isDisposed(): boolean {
    return native.isDisposed(this._h);
  }

  // ---- printing ----------------------------------------------------------------------------

  toString(): string {
    if (native.isDisposed(this._h)) return 'tensor(<disposed>)';
    const cpu = native.device(this._h) === 'cpu' ? this : this.detach().cpu();
    const values = native.toTypedArray(cpu._h) as unknown as ArrayLike<number | bigint>;
    const dtype = this.dtype.name;
    return formatTensor({
      values: dtype === 'bool' ? Array.from(values, (v) => v !== 0) : values,
      shape: this.shape,
      dtype,
      device: native.device(this._h),
      requiresGrad: this.requiresGrad,
      gradFn: native.gradFnName(this._h),
    });
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** A dimension index in [-ndim, ndim), made non-negative; throws as PyTorch does otherwise. */
function wrapDim(where: string, dim: unknown, ndim: number): number {
  expectInteger(`${where}(dim)`, dim);
  const d = (dim as number) < 0 ? (dim as number) + ndim : (dim as number);
  if (d < 0 || d >= ndim) {
    throw new RangeError(`Dimension out of range (expected to be in range of [${-ndim}, ${ndim - 1}], but got ${dim})`);
  }
  return d;
}

/** Wraps a native handle (registering it with the current scope, if any). */
export function wrap(h: Handle): Tensor {
  const t = new Tensor(h);
  const scope = currentScope();
  if (scope !== null) scope.push(t);
  return t;
}

function longTensor(list: number[]): Tensor {
  return wrap(native.fromTypedArray(BigInt64Array.from(list, (v) => BigInt(v)), [list.length], 4, false));
}

setTensorHooks({ Tensor, isTensor: (v): v is Tensor => v instanceof Tensor, wrap });

// Operator methods, from the generated table (hand-written members above take precedence).
// JS hooks per leaf for registerPostAccumulateGradHook, keyed by the wrapper they were registered on.
const postAccumulateGradHooks = new WeakMap<Tensor, Map<number, (tensor: Tensor) => void>>();
let nextHookId = 0;

// Tensor.type()'s legacy names (torch.FloatTensor, ...), by dtype name.
const LEGACY_TYPE_NAMES: Record<string, string> = {
  float32: 'Float', float64: 'Double', float16: 'Half', bfloat16: 'BFloat16', int8: 'Char', uint8: 'Byte',
  int16: 'Short', int32: 'Int', int64: 'Long', bool: 'Bool', complex64: 'ComplexFloat', complex128: 'ComplexDouble',
};

const proto = Tensor.prototype as unknown as Record<string, unknown>;
// Each is compiled on first use, then replaces its lazy accessor with a plain method.
for (const [name, indices] of Object.entries(methods)) {
  if (name in proto) continue;
  Object.defineProperty(proto, name, {
    configurable: true,
    get() {
      const method = makeOp(`Tensor.${name}`, overloads, indices, true, true);
      Object.defineProperty(proto, name, { value: method, writable: true, configurable: true });
      return method;
    },
  });
}

const mTOp = atenOp('mT')!.default;
const numpyTOp = atenOp('numpy_T')!.default;
const toOp = makeOp('Tensor.to', overloads, findOverloads('aten::to', 'device'), true);
const contiguousOp = makeOp('Tensor.contiguous', overloads, findOverloads('aten::contiguous', ''), true);

function findOverloads(op: string, overload: string): number[] {
  const i = overloads.findIndex((o) => o[0] === op && o[1] === overload);
  if (i < 0) throw new Error(`generated table lacks ${op}.${overload}`);
  return [i];
}
