// torch.nn.utils: gradient clipping and flattening parameters into one vector.
import type { Tensor } from '../tensor';
import { noGrad } from '../autograd';
import { cat, stack } from '../generated/functions';
import { tensor } from '../creation';

const list = (p: Tensor | Iterable<Tensor>): Tensor[] => ('_h' in (p as object) ? [p as Tensor] : [...(p as Iterable<Tensor>)]);

/** Scales gradients in place so their joint norm is at most maxNorm; returns the norm before. */
export function clipGradNorm_(parameters: Tensor | Iterable<Tensor>, maxNorm: number,
  options: { normType?: number; errorIfNonfinite?: boolean } = {}): Tensor {
  const normType = options.normType ?? 2;
  const grads = list(parameters).map((p) => p.grad).filter((g): g is Tensor => g !== null);
  if (grads.length === 0) return tensor(0);
  return noGrad(() => {
    const norms = grads.map((g) => g.norm(normType));
    const total = normType === Infinity ? stack(norms).max() : stack(norms).norm(normType);
    if (options.errorIfNonfinite && !total.isfinite().item<boolean>()) {
      throw new Error(`The total norm of order ${normType} for gradients from \`parameters\` is non-finite, so it cannot be clipped.`);
    }
    const coefficient = total.add(1e-6).reciprocal().mul(maxNorm).clamp(null, 1);
    for (const g of grads) g.mul_(coefficient);
    return total;
  });
}

/** Clamps every gradient element to [-clipValue, clipValue] in place. */
export function clipGradValue_(parameters: Tensor | Iterable<Tensor>, clipValue: number): void {
  noGrad(() => {
    for (const p of list(parameters)) p.grad?.clamp_(-clipValue, clipValue);
  });
}

export function parametersToVector(parameters: Iterable<Tensor>): Tensor {
  return cat([...parameters].map((p) => p.view(-1)));
}

/** Copies consecutive slices of vec into the parameters, in place. */
export function vectorToParameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  let offset = 0;
  noGrad(() => {
    for (const p of parameters) {
      const n = p.numel();
      p.copy_(vec.narrow(0, offset, n).viewAs(p));
      offset += n;
    }
  });
}
