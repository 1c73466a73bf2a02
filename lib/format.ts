// Tensor printing that matches Python's repr(tensor) in PyTorch 2.11 with the default print
// options. The algorithm follows torch/_tensor_str.py (_Formatter, _tensor_str,
// _add_suffixes); this is a pure function over values already copied to the CPU.

export interface FormatInput {
  /** Flat, row-major values. float16/bfloat16 come as float32 numbers; int64 as bigint or
   *  number. Complex tensors: interleaved (real, imag) pairs, i.e. view_as_real order. */
  values: ArrayLike<number | bigint | boolean>;
  shape: number[];
  /** PyTorch dtype name without 'torch.', e.g. 'float32', 'int64', 'bool', 'complex64'. */
  dtype: string;
  device?: string;
  requiresGrad?: boolean;
  gradFn?: string | null;
}

/** torch.set_printoptions' options; a profile sets the first four, as in PyTorch. */
export interface PrintOptions {
  /** Digits after the decimal point (4). */
  precision?: number;
  /** Elements beyond which a tensor is summarized with '...' (1000). */
  threshold?: number;
  /** Elements shown at each end of a summarized dimension (3). */
  edgeitems?: number;
  /** Characters per line (80). */
  linewidth?: number;
  /** 'default', 'short' (precision 2, edgeitems 2) or 'full' (no summarizing). */
  profile?: 'default' | 'short' | 'full';
  /** true or false forces scientific notation on or off; unset lets each tensor choose. */
  sciMode?: boolean | null;
}

const PROFILES = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
};
// The options in force (PyTorch's PRINT_OPTS).
const opts = { ...PROFILES.default, sciMode: null as boolean | null };

/** Sets how tensors print, as torch.set_printoptions (sciMode is reset unless given, as there). */
export function setPrintoptions(options: PrintOptions = {}): void {
  if (options === null || typeof options !== 'object') throw new TypeError(`setPrintoptions(): expected an options object, got ${String(options)}`);
  const { profile, sciMode = null, ...numbers } = options;
  if (profile !== undefined) {
    if (!(profile in PROFILES)) throw new Error(`Invalid profile: ${profile}. the profile must be one of 'default', 'short', 'full'`);
    Object.assign(opts, PROFILES[profile]);
  }
  for (const [key, value] of Object.entries(numbers)) {
    if (!(key in PROFILES.default)) throw new TypeError(`setPrintoptions(): unknown option '${key}'`);
    if (value === undefined) continue;
    const ok = typeof value === 'number' && (key === 'threshold' ? value >= 0 : Number.isInteger(value) && value >= 0);
    if (!ok) throw new TypeError(`setPrintoptions(): ${key} must be a non-negative ${key === 'threshold' ? 'number' : 'integer'}, got ${String(value)}`);
    opts[key as keyof typeof PROFILES.default] = value;
  }
  if (sciMode !== null && typeof sciMode !== 'boolean') throw new TypeError(`setPrintoptions(): sciMode must be a boolean or null, got ${String(sciMode)}`);
  opts.sciMode = sciMode;
}

const PREFIX = 'tensor(';

type Kind = 'bool' | 'int' | 'float' | 'complex';

function kindOf(dtype: string): Kind {
  if (dtype === 'bool') return 'bool';
  if (dtype.startsWith('complex')) return 'complex';
  if (dtype.startsWith('float') || dtype === 'bfloat16' || dtype === 'half' || dtype === 'double') return 'float';
  return 'int';
}

// ---------------------------------------------------------------- exact decimal formatting
// Python's '{:.4f}' / '{:.4e}' round the exact binary value half-to-even, while JS's
// toFixed/toExponential round ties away from zero (1.03125 -> '1.0312' vs '1.0313'), and JS
// drops the sign of -0. So we expand the double exactly with BigInt and round ourselves.

/** |x| = n * 10^-scale exactly, for finite x. */
function exactDecimal(x: number): { n: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = hi >>> 20;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased !== 0) mant |= 1n << 52n; // implicit leading bit of normal numbers
  const exp2 = (biased === 0 ? 1 : biased) - 1075; // |x| = mant * 2^exp2
  if (exp2 >= 0) return { n: mant << BigInt(exp2), scale: 0 };
  return { n: mant * 5n ** BigInt(-exp2), scale: -exp2 }; // m / 2^k = m * 5^k / 10^k
}

/** round(n / 10^k), ties to even. */
function roundDigits(n: bigint, k: number): bigint {
  if (k <= 0) return n * 10n ** BigInt(-k);
  const d = 10n ** BigInt(k);
  let q = n / d;
  const twice = (n % d) * 2n;
  if (twice > d || (twice === d && q % 2n === 1n)) q += 1n;
  return q;
}

function nonFinite(x: number): string {
  return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
}

function sign(x: number): string {
  return x < 0 || Object.is(x, -0) ? '-' : '';
}

/** Python f'{x:.{p}f}'. */
function toFixed(x: number, p: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const { n, scale } = exactDecimal(x);
  const digits = roundDigits(n, scale - p).toString().padStart(p + 1, '0');
  const cut = digits.length - p;
  return sign(x) + digits.slice(0, cut) + (p > 0 ? '.' + digits.slice(cut) : '');
}

/** Python f'{x:.{p}e}'. */
function toExponential(x: number, p: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const { n, scale } = exactDecimal(x);
  let digits: string;
  let exp = 0;
  if (n === 0n) {
    digits = '0'.repeat(p + 1);
  } else {
    const len = n.toString().length;
    exp = len - 1 - scale;
    digits = roundDigits(n, len - 1 - p).toString();
    if (digits.length > p + 1) { // rounded up to the next power of ten (9.99996 -> 10.0000)
      digits = digits.slice(0, p + 1);
      exp += 1;
    }
  }
  const mantissa = digits[0] + (p > 0 ? '.' + digits.slice(1) : '');
  return `${sign(x)}${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

// ---------------------------------------------------------------- _Formatter

/** Python's str() of a non-floating element. */
function plainStr(v: number | bigint | boolean, kind: Kind): string {
  if (kind === 'bool') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return v.toString();
  const x = Number(v);
  return Number.isSafeInteger(x) ? String(x) : Number.isInteger(x) ? BigInt(x).toString() : String(x);
}

/** Picks one style and width for all the elements that will be shown (torch's _Formatter). */
class Formatter {
  private intMode = true;
  private sciMode = false;
  width = 1;

  constructor(private readonly kind: Kind, shown: Array<number | bigint | boolean>) {
    if (kind !== 'float') {
      for (const v of shown) this.width = Math.max(this.width, plainStr(v, kind).length);
      return;
    }
    const vals = shown.map(Number).filter((x) => Number.isFinite(x) && x !== 0);
    if (vals.length === 0) return; // only zeros/nan/inf: int mode, width 1
    const abs = vals.map(Math.abs);
    const min = Math.min(...abs);
    const max = Math.max(...abs);
    this.intMode = vals.every((x) => x === Math.ceil(x));
    // A wide dynamic range, or very large/small magnitudes, switch to scientific notation,
    // unless setPrintoptions({ sciMode }) decided.
    this.sciMode = opts.sciMode ?? (max / min > 1000 || max > 1e8 || min < 1e-4);
    for (const x of vals) {
      const s = this.sciMode ? toExponential(x, opts.precision)
        : this.intMode ? toFixed(x, 0) + '.' // room for the trailing '.' of '3.'
        : toFixed(x, opts.precision);
      this.width = Math.max(this.width, s.length);
    }
  }

  format(v: number | bigint | boolean): string {
    let s: string;
    if (this.kind !== 'float') {
      s = plainStr(v, this.kind);
    } else {
      const x = Number(v);
      if (this.sciMode) s = toExponential(x, opts.precision);
      else if (this.intMode) s = toFixed(x, 0) + (Number.isFinite(x) ? '.' : ''); // '3.' marks a float
      else s = toFixed(x, opts.precision);
    }
    return s.padStart(this.width);
  }
}

// ---------------------------------------------------------------- layout

/** Indices shown along one dimension; -1 marks the '...' of a summarized dimension. */
function shownIndices(size: number, summarize: boolean): number[] {
  if (summarize && size > 2 * opts.edgeitems) {
    const head = Array.from({ length: opts.edgeitems }, (_, i) => i);
    const tail = Array.from({ length: opts.edgeitems }, (_, i) => size - opts.edgeitems + i);
    return [...head, -1, ...tail];
  }
  return Array.from({ length: size }, (_, i) => i);
}

function sizeTuple(shape: number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/** torch's _add_suffixes: ', suffix' on the last line while it fits, else a new line. */
function addSuffixes(text: string, suffixes: string[], indent: number): string {
  // Same arithmetic as PyTorch (including its +1), so wrapping happens at the same place.
  let lastLineLen = text.length - text.lastIndexOf('\n') + 1;
  let out = text;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > opts.linewidth) {
      out += ',\n' + ' '.repeat(indent) + suffix;
      lastLineLen = indent + suffix.length;
    } else {
      out += ', ' + suffix;
      lastLineLen += suffix.length + 2;
    }
  }
  return out + ')';
}

/** The bracketed body, torch's _tensor_str. */
function tensorBody(t: FormatInput, kind: Kind, numel: number): string {
  if (numel === 0) return '[]';
  const { shape, values } = t;
  const ndim = shape.length;
  const summarize = numel > opts.threshold;
  // Complex values arrive as (real, imag) pairs; anything else prints as given.
  const complex = kind === 'complex' && values.length >= 2 * numel;
  const elemKind: Kind = kind === 'complex' ? 'float' : kind;
  const strides = new Array<number>(ndim);
  for (let d = ndim - 1, s = 1; d >= 0; d--) { strides[d] = s; s *= shape[d]; }

  // Flat element indices that will be printed: the formatter only looks at these (as torch
  // does with get_summarized_data), so elided values never affect the width.
  const shown: number[] = [];
  const collect = (offset: number, d: number): void => {
    if (d === ndim) { shown.push(offset); return; }
    for (const i of shownIndices(shape[d], summarize)) if (i >= 0) collect(offset + i * strides[d], d + 1);
  };
  collect(0, 0);

  const re = (k: number) => (complex ? values[2 * k] : values[k]);
  const real = new Formatter(elemKind, shown.map(re));
  const imag = complex ? new Formatter('float', shown.map((k) => values[2 * k + 1])) : null;

  const element = (k: number): string => {
    const realStr = real.format(re(k));
    if (!imag) return realStr;
    const imagStr = (imag.format(values[2 * k + 1]) + 'j').trimStart();
    return imagStr[0] === '+' || imagStr[0] === '-' ? realStr + imagStr : realStr + '+' + imagStr;
  };

  const render = (offset: number, d: number, indent: number): string => {
    if (d === ndim) return element(offset); // 0-d tensor
    const idx = shownIndices(shape[d], summarize);
    if (d === ndim - 1) {
      // A row: as many elements per line as fit in the line width, then wrap.
      const elementLength = real.width + 2 + (imag ? imag.width + 1 : 0);
      const perLine = Math.max(1, Math.floor((opts.linewidth - indent) / elementLength));
      const items = idx.map((i) => (i < 0 ? ' ...' : element(offset + i)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
      return '[' + lines.join(',\n' + ' '.repeat(indent + 1)) + ']';
    }
    // Higher dims: one slice per line, with a blank line per extra dimension between slices.
    const slices = idx.map((i) => (i < 0 ? '...' : render(offset + i * strides[d], d + 1, indent + 1)));
    return '[' + slices.join(',' + '\n'.repeat(ndim - d - 1) + ' '.repeat(indent + 1)) + ']';
  };
  return render(0, 0, PREFIX.length);
}

/** The string Python prints for repr(tensor), e.g. "tensor([1., 2.], requires_grad=True)". */
export function formatTensor(t: FormatInput): string {
  const kind = kindOf(t.dtype);
  const numel = t.shape.reduce((a, b) => a * b, 1);
  if (t.values.length < numel) {
    throw new RangeError(`formatTensor: ${t.values.length} values for shape [${t.shape.join(', ')}]`);
  }

  const suffixes: string[] = [];
  // Only the default device (cpu) is left out.
  if (t.device && t.device !== 'cpu') suffixes.push(`device='${t.device}'`);
  const dtypeSuffix = `dtype=torch.${t.dtype}`;
  if (numel === 0) {
    // Empty: the shape is spelled out unless 1-d, and any dtype but float32 is shown
    // (nothing to tell ints from floats).
    if (t.shape.length !== 1) suffixes.push(`size=${sizeTuple(t.shape)}`);
    if (t.dtype !== 'float32') suffixes.push(dtypeSuffix);
  } else if (!['float32', 'complex64', 'int64', 'bool'].includes(t.dtype)) {
    suffixes.push(dtypeSuffix); // the defaults of each kind are implied by how values print
  }
  if (t.gradFn) suffixes.push(`grad_fn=<${t.gradFn}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');

  return addSuffixes(PREFIX + tensorBody(t, kind, numel), suffixes, PREFIX.length);
}
