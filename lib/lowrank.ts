// torch.svd_lowrank and torch.pca_lowrank: randomized low-rank SVD (Halko, Martinsson and Tropp,
// 2009, algorithm 5) as PyTorch's torch/_lowrank.py writes it in Python, step for step, so the
// same seed draws the same random basis and gives PyTorch's factors.
import type { Tensor } from './tensor';
import { float32 } from './dtype';
import { linalg, randn } from './generated/functions';

export interface LowrankOptions {
  /** Columns of the random basis: the rank sought, a little over it (svdLowrank: 6; pcaLowrank: min(6, m, n)). */
  q?: number;
  /** Subspace (power) iterations (2). */
  niter?: number;
}

// An orthonormal basis Q (m x q) whose range approximates A's (PyTorch's get_approximate_basis).
function approximateBasis(A: Tensor, q: number, niter: number, M: Tensor | null): Tensor {
  const dtype = A.isFloatingPoint() || A.isComplex() ? A.dtype : float32;
  const R = randn([A.shape[A.dim() - 1], q], { dtype, device: A.device });
  const centered = (X: Tensor, from: Tensor | null, B: Tensor) => (from ? X.sub(from.matmul(B)) : X);
  let Q = linalg.qr(centered(A.matmul(R), M, R))[0];
  for (let i = 0; i < niter; i++) {
    Q = linalg.qr(centered(A.mH.matmul(Q), M && M.mH, Q))[0];
    Q = linalg.qr(centered(A.matmul(Q), M, Q))[0];
  }
  return Q;
}

function matrixShape(where: string, A: Tensor): [number, number] {
  if (A.dim() < 2) throw new Error(`${where}: expected a matrix or a batch of matrices, got a ${A.dim()}-D tensor`);
  const [m, n] = A.shape.slice(-2);
  return [m, n];
}

function svdLowrankOf(input: Tensor, q: number, niter: number, mean: Tensor | null): [Tensor, Tensor, Tensor] {
  const [m, n] = input.shape.slice(-2);
  let A = input;
  let M = mean ? mean.broadcastTo(input.shape) : null;
  if (m < n) { // work on the tall one
    A = A.mH;
    M = M && M.mH;
  }
  const Q = approximateBasis(A, q, niter, M);
  let B = Q.mH.matmul(A);
  if (M) B = B.sub(Q.mH.matmul(M));
  const [U0, S, Vh] = linalg.svd(B, { fullMatrices: false });
  const U = Q.matmul(U0);
  const V = Vh.mH;
  return m < n ? [V, S, U] : [U, S, V];
}

/** [U, S, V] with A ≈ U diag(S) Vᵀ (rank q), for large or batched matrices; M is subtracted from A first. */
export function svdLowrank(A: Tensor, q: number | LowrankOptions = 6, niter = 2, M: Tensor | null = null): [Tensor, Tensor, Tensor] {
  matrixShape('svdLowrank', A);
  const options = typeof q === 'object' && q !== null ? { q: 6, niter: 2, ...q } : { q, niter };
  return svdLowrankOf(A, options.q ?? 6, options.niter ?? 2, M);
}

/** Principal components: svdLowrank of A with each column's mean subtracted (unless center is false). */
export function pcaLowrank(A: Tensor, options: LowrankOptions & { center?: boolean } = {}): [Tensor, Tensor, Tensor] {
  const [m, n] = matrixShape('pcaLowrank', A);
  const { q = Math.min(6, m, n), center = true, niter = 2 } = options;
  if (!(Number.isInteger(q) && q >= 0 && q <= Math.min(m, n))) {
    throw new RangeError(`q(=${q}) must be non-negative integer and not greater than min(m, n)=${Math.min(m, n)}`);
  }
  if (!(niter >= 0)) throw new RangeError(`niter(=${niter}) must be non-negative integer`);
  return svdLowrankOf(center ? A.sub(A.mean([-2], { keepdim: true })) : A, q, niter, null);
}
