// Argument checks for the hand-written API, with one message shape: "<where>: expected <what>,
// got <value>", so a wrong call names the argument and what came instead of failing deeper
// with "Cannot read properties of undefined".

/** A short description of a JS value for error messages. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return `'${v.length > 40 ? v.slice(0, 40) + '…' : v}'`;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'symbol') return 'a symbol';
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  const name = (v as object).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

export function fail(where: string, what: string, got: unknown): never {
  throw new TypeError(`${where}: expected ${what}, got ${describeValue(got)}`);
}

const isTensorLike = (v: unknown): boolean => typeof v === 'object' && v !== null && '_h' in v;

export function expectTensor(where: string, v: unknown): void {
  if (!isTensorLike(v)) fail(where, 'a Tensor', v);
}

/** A Tensor, or an array of them; returns the array. */
export function expectTensors<T>(where: string, v: T | T[]): T[] {
  const list = Array.isArray(v) ? v : [v];
  list.forEach((t, i) => { if (!isTensorLike(t)) fail(`${where}[${i}]`, 'a Tensor', t); });
  return list;
}

export function expectFunction(where: string, v: unknown): void {
  if (typeof v !== 'function') fail(where, 'a function', v);
}

export function expectBoolean(where: string, v: unknown): void {
  if (typeof v !== 'boolean') fail(where, 'a boolean', v);
}

export function expectInteger(where: string, v: unknown): void {
  if (!Number.isInteger(v)) fail(where, 'an integer', v);
}

export function expectString(where: string, v: unknown): void {
  if (typeof v !== 'string') fail(where, 'a string', v);
}

/** An options object (or undefined): not null, an array, a number or a string. */
export function expectOptions(where: string, v: unknown): void {
  if (v !== undefined && (typeof v !== 'object' || v === null || Array.isArray(v))) fail(where, 'an options object', v);
}
