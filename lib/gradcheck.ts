// torch.autograd.gradcheck: compares autograd's gradients with central finite differences,
// input element by input element (use float64 inputs, as in PyTorch).
import type { Tensor } from './tensor';
import { noGrad } from './autograd';
import { grad } from './autograd-grad';
import { expectFunction } from './ops/validate';

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  raiseException?: boolean;
}

export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {}): boolean {
  expectFunction('gradcheck(fn, inputs)', fn);
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raiseException = true } = options;
  const output = fn(...inputs);
  const outFlat = output.reshape(-1);
  const m = outFlat.numel();
  // The analytical Jacobian first: perturbing inputs in place afterwards invalidates the graph.
  const analytical = inputs.map((input) => {
    if (!input.requiresGrad) return null;
    return Array.from({ length: m }, (_, j) => {
      const [g] = grad(outFlat.get(j), [input], { retainGraph: true, allowUnused: true });
      return g ? (g.reshape(-1).tolist() as number[]) : new Array(input.numel()).fill(0);
    });
  });
  for (const [k, input] of inputs.entries()) {
    const rows = analytical[k];
    if (rows === null) continue;
    const flat = input.detach().view(-1);
    for (let i = 0; i < input.numel(); i++) {
      const original = flat.get(i).item() as number;
      const at = (value: number) => {
        flat.set(i, value);
        return noGrad(() => fn(...inputs).reshape(-1).tolist() as number[]);
      };
      const plus = at(original + eps);
      const minus = at(original - eps);
      flat.set(i, original);
      for (let j = 0; j < m; j++) {
        const numeric = (plus[j] - minus[j]) / (2 * eps);
        const a = rows[j][i];
        if (Math.abs(a - numeric) > atol + rtol * Math.abs(numeric)) {
          if (!raiseException) return false;
          throw new Error(`Jacobian mismatch for output 0 with respect to input ${k},\n` +
            `numerical: ${numeric} analytical: ${a} at input element ${i}, output element ${j}`);
        }
      }
    }
  }
  return true;
}
