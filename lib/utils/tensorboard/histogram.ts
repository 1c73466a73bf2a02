// Histograms as PyTorch's torch.utils.tensorboard.summary.make_histogram builds them (numpy's
// np.histogram, then TensorBoard's bucket layout), computed with libtorch ops.
import type { Tensor } from '../../tensor';
import { float64 } from '../../dtype';
import { tensor } from '../../creation';
import { arange, bincount, bucketize, cat, zeros } from '../../generated/functions';
import type { HistogramProto } from './proto';

/**
 * Histogram bins as np.histogram takes them: a number of equal-width bins between the values'
 * min and max, explicit increasing edges, or 'tensorflow' (SummaryWriter's default: edges growing
 * by 10% from 1e-12 to 1e20 on both sides of 0).
 */
export type HistogramBins = number | number[] | 'tensorflow';

let tensorflowEdges: number[] | undefined;

/** SummaryWriter's default_bins: ±1e-12 * 1.1^k up to 1e20, and 0. */
export function defaultBins(): number[] {
  if (!tensorflowEdges) {
    const positive: number[] = [];
    for (let v = 1e-12; v < 1e20; v *= 1.1) positive.push(v);
    tensorflowEdges = [...positive.map((v) => -v).reverse(), 0, ...positive];
  }
  return tensorflowEdges;
}

/** Bin edges as np.histogram computes them (its linspace: start + i * step, last edge exact). */
function binEdges(values: Tensor, bins: HistogramBins): Tensor {
  if (bins === 'tensorflow') return tensor(defaultBins(), { dtype: float64 });
  if (Array.isArray(bins)) {
    const edges = tensor(bins, { dtype: float64 });
    if (bins.length < 2 || edges.diff().lt(0).any().item()) throw new Error('bins must increase monotonically, when an array');
    return edges;
  }
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`expected a positive integer for bins, got ${bins}`);
  let first = values.min().item() as number;
  let last = values.max().item() as number;
  if (!Number.isFinite(first) || !Number.isFinite(last)) throw new Error(`autodetected range of [${first}, ${last}] is not finite`);
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const edges = arange(bins + 1, { dtype: float64 }).mul((last - first) / bins).add(first);
  edges.set(-1, last);
  return edges;
}

/**
 * np.histogram's counts: [e_i, e_i+1) per bin, the last bin closed; values outside are dropped.
 * bucketize (no sort) gives each value the number of edges at or below it.
 */
function binCounts(values: Tensor, edges: Tensor): Tensor {
  const nEdges = edges.numel();
  const below = bincount(bucketize(values, edges, { right: true }), { minlength: nEdges + 1 });
  const counts = below.get(`1:${nEdges}`).clone();
  // Values equal to the last edge were counted past it; np.histogram puts them in the last bin.
  counts.get(-1).add_(values.eq(edges.get(-1)).sum());
  return counts;
}

/** Merges neighbouring bins so there are at most maxBins (PyTorch's max_bins). */
function subsample(counts: Tensor, edges: Tensor, maxBins: number): [Tensor, Tensor] {
  const n = counts.numel();
  const step = Math.floor(n / maxBins);
  const remainder = n % step;
  const padded = remainder ? cat([counts, zeros(step - remainder, { dtype: counts.dtype })]) : counts;
  return [padded.reshape(-1, step).sum(-1), cat([edges.get(`:-1:${step}`), edges.get('-1:')])];
}

/**
 * The HistogramProto that PyTorch's make_histogram writes for these values: np.histogram's
 * counts, trimmed to the bins from the first to the last non-empty one, plus one empty bin on the
 * left so that TensorBoard, which stores only right edges, knows where the first bin starts.
 */
export function makeHistogram(values: Tensor, bins: HistogramBins = 'tensorflow', maxBins?: number): HistogramProto {
  const flat = values.detach().to('cpu').to(float64).reshape(-1);
  if (flat.numel() === 0) throw new Error('The input has no element.');
  let edges = binEdges(flat, bins);
  let counts = binCounts(flat, edges);
  if (maxBins !== undefined && counts.numel() > maxBins) [counts, edges] = subsample(counts, edges, maxBins);

  const nonEmpty = counts.nonzero().reshape(-1);
  // numpy's version then finds no support; PyTorch raises the same error in all but the one-bin case.
  if (nonEmpty.numel() === 0) throw new Error('The histogram is empty, please file a bug report.');
  const start = nonEmpty.get(0).item() as number;
  const end = (nonEmpty.get(-1).item() as number) + 1;
  const bucket = start > 0 ? counts.get(`${start - 1}:${end}`) : cat([zeros(1, { dtype: counts.dtype }), counts.get(`:${end}`)]);
  const bucketLimit = edges.get(`${start}:${end + 1}`);
  return {
    min: flat.min().item() as number,
    max: flat.max().item() as number,
    num: flat.numel(),
    sum: flat.sum().item() as number,
    sumSquares: flat.dot(flat).item() as number,
    bucketLimit: bucketLimit.tolist() as number[],
    bucket: bucket.to(float64).tolist() as number[],
  };
}
