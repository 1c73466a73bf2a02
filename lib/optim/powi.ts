// x ** n for a whole n >= 0, rounded as C's pow() rounds it (the pow Python's `beta ** step`
// calls), so bias corrections and decay factors agree with PyTorch to the last bit. JS's own
// `**` is a different approximation that is off by one unit in the last place for about one
// step count in ten. Binary powering in double-double arithmetic (error near 2^-100), then one
// rounding to double.

const SPLITTER = 134217729; // 2^27 + 1, Dekker's split of a double into two 26-bit halves

function split(a: number): [number, number] {
  const t = SPLITTER * a;
  const hi = t - (t - a);
  return [hi, a - hi];
}

/** a * b as an unevaluated sum hi + lo, exactly. */
function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ((ah * bh - p) + ah * bl + al * bh) + al * bl];
}

function multiply(xh: number, xl: number, yh: number, yl: number): [number, number] {
  const [p, e] = twoProduct(xh, yh);
  const lo = e + (xh * yl + xl * yh);
  const hi = p + lo;
  return [hi, lo - (hi - p)];
}

export function powi(x: number, n: number): number {
  const plain = x ** n;
  // Outside the range where the split cannot overflow or lose bits, or for a fractional or
  // negative exponent, the plain power is what we have.
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 31 || !Number.isFinite(plain) || Math.abs(plain) < 1e-290
    || Math.abs(x) > 1e150 || Math.abs(x) < 1e-150) {
    return plain;
  }
  let rh = 1;
  let rl = 0;
  let bh = x;
  let bl = 0;
  for (let k = n; k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) [rh, rl] = multiply(rh, rl, bh, bl);
    if (k > 1) [bh, bl] = multiply(bh, bl, bh, bl);
  }
  return rh + rl;
}
