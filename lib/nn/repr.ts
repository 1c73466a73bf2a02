// Python's repr of a float, for module printouts that match PyTorch's: 1.0, 0.1, 1e-05.
export function pyFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
  const exponent = Math.floor(Math.log10(Math.abs(x)));
  if (exponent < -4 || exponent >= 16) return x.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(x);
}
