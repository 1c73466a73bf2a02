// The common call shape, positional arguments of simple types and no options object, gets
// a function generated per operator (new Function) that checks each overload's argument
// types inline and calls the native entry point directly, with no argument arrays and no
// generic binding. Anything else (options, varargs sizes, lists of tensors, dtypes, nulls)
// takes the general binder, so both paths resolve overloads in the same order.
import { native } from '../native';
import { defaultDeviceString } from '../device';

export interface FastOverload {
  readonly params: [string, string, number, number?][];
  readonly selfIndex: number;
  readonly returns: string[];
  readonly inplace: number;
  readonly handle: number;
  /** The `device` parameter torch.setDefaultDevice fills, or -1. */
  readonly defaultDeviceIndex: number;
}

const MAX_FAST_ARGS = 4;
const OPTIONAL = 1;
const HAS_DEFAULT = 2;
const KW_ONLY = 4;

// An inline type test and the native form of argument `a`, per kind; kinds absent here are
// not compiled.
const CHECKS: Record<string, (a: string) => [string, string]> = {
  T: (a) => [`${a} instanceof T`, `${a}._h`],
  'T|s': (a) => [`(${a} instanceof T || typeof ${a} === 'number')`, `(typeof ${a} === 'number' ? ${a} : ${a}._h)`],
  i: (a) => [`Number.isInteger(${a})`, a],
  f: (a) => [`typeof ${a} === 'number'`, a],
  s: (a) => [`(typeof ${a} === 'number' || typeof ${a} === 'boolean')`, a],
  b: (a) => [`typeof ${a} === 'boolean'`, a],
  str: (a) => [`typeof ${a} === 'string'`, a],
  'i[]': (a) => [`Array.isArray(${a})`, a],
};

/** Source of the fast test-and-call for one overload given n positional arguments, or null. */
function clause(ov: FastOverload, k: number, n: number, isMethod: boolean): string | null {
  const positional = ov.params.map((p, i) => i).filter((i) => i !== ov.selfIndex && !(ov.params[i][2] & KW_ONLY));
  if (n > positional.length) return null;
  const tests: string[] = [];
  const values: string[] = new Array(ov.params.length).fill('undefined');
  for (let i = 0; i < ov.params.length; i++) {
    const [, kind, flags] = ov.params[i];
    const given = positional.indexOf(i);
    if (i === ov.selfIndex) {
      values[i] = 'this._h';
    } else if (given >= 0 && given < n) {
      const check = CHECKS[kind];
      if (!check) return null;
      const [test, value] = check(`a${given}`);
      tests.push(test);
      values[i] = value;
    } else if (!(flags & (OPTIONAL | HAS_DEFAULT))) {
      return null; // a required argument is missing: only the general binder can say why
    } else if (i === ov.defaultDeviceIndex) {
      tests.push('D() === null'); // with a default device set, the general binder fills it in
    }
  }
  if (isMethod && ov.selfIndex < 0) return null;
  while (values.length > 0 && values[values.length - 1] === 'undefined') values.pop();
  const call = `C(H(${k})${values.map((v) => ', ' + v).join('')})`;
  let result: string;
  if (ov.inplace >= 0) {
    const source = ov.inplace === ov.selfIndex ? 'this' : `a${positional.indexOf(ov.inplace)}`;
    if (source === 'a-1') return null;
    result = `(${call}, ${source})`;
  } else if (ov.returns.length === 1 && ov.returns[0] === 'Tensor') {
    result = `W(${call})`;
  } else if (ov.returns.length === 1 && ov.returns[0] !== 'Tensor[]') {
    result = call;
  } else {
    return null;
  }
  return `if (${tests.length ? tests.join(' && ') : 'true'}) return ${result};`;
}

/**
 * The callable for an operator: generated fast clauses first, then `slow(self, args)`.
 * `Tensor` and `wrap` come from lib/tensor.ts (through the hooks in overload.ts).
 */
export function compileFastPath(name: string, overloads: FastOverload[], isMethod: boolean,
  slow: (self: unknown, args: unknown[]) => unknown, Tensor: Function, wrap: (h: unknown) => unknown): Function {
  const cases: string[] = [];
  for (let n = 0; n <= MAX_FAST_ARGS; n++) {
    const lines: string[] = [];
    for (let k = 0; k < overloads.length; k++) {
      const c = clause(overloads[k], k, n, isMethod);
      if (c === null) {
        // This overload might take n arguments in a way only the general binder sees:
        // later overloads must not be tried before it.
        if (overloads[k].params.filter((p, i) => i !== overloads[k].selfIndex && !(p[2] & KW_ONLY)).length >= n) break;
        continue;
      }
      lines.push(c);
    }
    if (lines.length) cases.push(`case ${n}: ${lines.join(' ')} break;`);
  }
  const args = Array.from({ length: MAX_FAST_ARGS }, (_, i) => `a${i}`).join(', ');
  const fnName = name.replace(/\W/g, '_');
  const source = `return function ${fnName}(${args}) {
  switch (arguments.length) { ${cases.join('\n    ')} }
  return S(this, Array.prototype.slice.call(arguments));
};`;
  const ids = overloads.map(() => -1);
  const H = (k: number) => (ids[k] >= 0 ? ids[k] : (ids[k] = overloads[k].handle));
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('T', 'W', 'C', 'H', 'S', 'D', source)(Tensor, wrap, native.callOp, H, slow, defaultDeviceString);
}
