// Metrics for Trainer.compile: built-in names or functions (output, target) -> a batch mean.
// Per-epoch values are sample-weighted means of the batch values, as Keras reports them.
import type { Tensor } from '../../tensor';
import * as F from '../../nn/functional';

export type MetricFn = (output: Tensor, target: Tensor) => Tensor | number;
export type MetricName = 'accuracy' | 'binaryAccuracy' | 'categoricalAccuracy' | 'sparseCategoricalAccuracy' | 'mae' | 'mse';
/** A name, a named function (its name is the history key), or { name, fn }. */
export type MetricSpec = MetricName | MetricFn | { name: string; fn: MetricFn };

export interface Metric {
  readonly name: string;
  readonly fn: MetricFn;
}

const fraction = (hits: Tensor) => hits.float().mean();
const flatTarget = (o: Tensor, t: Tensor) => (o.numel() === t.numel() ? t.reshape(o.shape) : t);

/** Class of the largest logit (dim 1, PyTorch's class dim) against integer class indices. */
export const sparseCategoricalAccuracy: MetricFn = (o, t) => fraction(o.argmax(1).eq(t));
/** Class of the largest logit against the largest entry of one-hot or probability targets (last dim). */
export const categoricalAccuracy: MetricFn = (o, t) => fraction(o.argmax(-1).eq(t.argmax(-1)));

/** Output above `threshold` (0 for logits, 0.5 for probabilities) against 0/1 targets. */
export function binaryAccuracy(threshold: number): MetricFn {
  return (o, t) => fraction(o.gt(threshold).eq(flatTarget(o, t).gt(0.5)));
}

/**
 * Keras's 'accuracy': the kind follows the shapes. Integer targets with one dim fewer than
 * the output are class indices; targets shaped like a multi-column output are one-hot;
 * anything else is binary.
 */
function accuracy(threshold: number): MetricFn {
  const binary = binaryAccuracy(threshold);
  return (o, t) => {
    if (!t.dtype.isFloatingPoint && t.dim() === o.dim() - 1 && o.dim() >= 2) return sparseCategoricalAccuracy(o, t);
    if (o.dim() >= 2 && o.size(-1) > 1 && t.shape.join() === o.shape.join()) return categoricalAccuracy(o, t);
    return binary(o, t);
  };
}

/**
 * The metrics compile() was given. `binaryThreshold` is where a binary output counts as 1:
 * 0 when the loss takes logits ('bce'), 0.5 otherwise.
 */
export function resolveMetrics(specs: MetricSpec[], binaryThreshold: number): Metric[] {
  if (!Array.isArray(specs)) throw new TypeError(`compile(): expected metrics to be an array, got ${typeof specs}`);
  const builtins: Record<MetricName, MetricFn> = {
    accuracy: accuracy(binaryThreshold),
    binaryAccuracy: binaryAccuracy(binaryThreshold),
    categoricalAccuracy,
    sparseCategoricalAccuracy,
    mae: (o, t) => F.l1Loss(o, flatTarget(o, t)),
    mse: (o, t) => F.mseLoss(o, flatTarget(o, t)),
  };
  const metrics = specs.map((spec, i): Metric => {
    if (typeof spec === 'string') {
      if (!Object.hasOwn(builtins, spec)) {
        throw new Error(`compile(): unknown metric '${spec}'; expected one of ${Object.keys(builtins).map((k) => `'${k}'`).join(', ')} or a function`);
      }
      return { name: spec, fn: builtins[spec] };
    }
    if (typeof spec === 'function') return { name: spec.name || `metric${i}`, fn: spec };
    if (spec && typeof spec === 'object' && typeof spec.fn === 'function' && typeof spec.name === 'string') return spec;
    throw new TypeError(`compile(): expected a metric name, a function or { name, fn }, got ${typeof spec}`);
  });
  const names = metrics.map((m) => m.name);
  const clash = names.find((n, i) => names.indexOf(n) !== i || n === 'loss' || /^val[A-Z]/.test(n));
  if (clash !== undefined) throw new Error(`compile(): metric name '${clash}' is taken (names must be unique, not 'loss', not 'val' + a capital)`);
  return metrics;
}

/** A metric's batch value as a number. */
export function metricValue(value: Tensor | number): number {
  return typeof value === 'number' ? value : value.item() as number;
}
