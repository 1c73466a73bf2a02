// torch.optim.LBFGS: limited-memory BFGS over all parameters flattened into one vector.
// step(closure) runs up to maxIter quasi-Newton iterations, each with a fixed step (lr) or,
// with lineSearchFn: 'strong_wolfe', a step satisfying the strong Wolfe conditions. Like
// PyTorch, it keeps its state under the first parameter, so stateDict() saves it.
import type { Tensor } from '../tensor';
import { cat, viewAsReal } from '../generated/functions';
import { noGrad, enableGrad } from '../autograd';
import { keep } from '../scope';
import { Optimizer, withDefaults, type ParamsLike } from './optimizer';

export interface LBFGSOptions {
  lr: number;
  maxIter: number;
  /** Function evaluations allowed per step; default maxIter * 5 / 4 (rounded down). */
  maxEval: number;
  toleranceGrad: number;
  toleranceChange: number;
  historySize: number;
  lineSearchFn: 'strong_wolfe' | null;
}

type Closure = () => Tensor | number;
type Scalar = Tensor | number;

/** x * s for a number or a one-element tensor s (PyTorch mixes both in LBFGS). */
function times(x: Tensor, s: Scalar): Tensor {
  return typeof s === 'number' ? x.mul(s) : x.mul(s);
}

function toNumber(value: Tensor | number): number {
  return typeof value === 'number' ? value : Number(value.item());
}

/** The minimum of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to bounds. */
function cubicInterpolate(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number,
  bounds?: [number, number]): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 * d1 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos = x1 <= x2
      ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
      : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

/**
 * PyTorch's _strong_wolfe (after minFunc): bracketing, then zoom by cubic interpolation.
 * Returns the loss, flat gradient and step found, and the evaluations used.
 */
function strongWolfe(objective: (t: number) => [number, Tensor], t: number, d: Tensor, f: number, g: Tensor,
  gtd: number, maxLs: number, c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9): [number, Tensor, number, number] {
  const dNorm = toNumber(d.abs().max());
  g = g.clone();
  let [fNew, gNew] = objective(t);
  let evals = 1;
  let gtdNew = toNumber(gNew.dot(d));
  let tPrev = 0;
  let fPrev = f;
  let gPrev = g;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: number[] = [];
  let bracketF: number[] = [];
  let bracketG: Tensor[] = [];
  let bracketGtd: number[] = [];
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew.clone()], [gtdPrev, gtdNew]];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      [bracket, bracketF, bracketG] = [[t], [fNew], [gNew]];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew.clone()], [gtdPrev, gtdNew]];
      break;
    }
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const previous = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = previous;
    fPrev = fNew;
    gPrev = gNew.clone();
    gtdPrev = gtdNew;
    [fNew, gNew] = objective(t);
    evals += 1;
    gtdNew = toNumber(gNew.dot(d));
    lsIter += 1;
  }
  if (lsIter === maxLs) {
    [bracket, bracketF, bracketG] = [[0, t], [f, fNew], [g, gNew]];
  }

  let insufficientProgress = false;
  let [low, high] = bracketF[0] <= bracketF[bracketF.length - 1] ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) break;
    t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
    const top = Math.max(...bracket);
    const bottom = Math.min(...bracket);
    const eps = 0.1 * (top - bottom);
    if (Math.min(top - t, t - bottom) < eps) {
      if (insufficientProgress || t >= top || t <= bottom) {
        t = Math.abs(t - top) < Math.abs(t - bottom) ? top - eps : bottom + eps;
        insufficientProgress = false;
      } else {
        insufficientProgress = true;
      }
    } else {
      insufficientProgress = false;
    }
    [fNew, gNew] = objective(t);
    evals += 1;
    gtdNew = toNumber(gNew.dot(d));
    lsIter += 1;
    if (fNew > f + c1 * t * gtd || fNew >= bracketF[low]) {
      bracket[high] = t;
      bracketF[high] = fNew;
      bracketG[high] = gNew.clone();
      bracketGtd[high] = gtdNew;
      [low, high] = bracketF[0] <= bracketF[1] ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        done = true;
      } else if (gtdNew * (bracket[high] - bracket[low]) >= 0) {
        bracket[high] = bracket[low];
        bracketF[high] = bracketF[low];
        bracketG[high] = bracketG[low];
        bracketGtd[high] = bracketGtd[low];
      }
      bracket[low] = t;
      bracketF[low] = fNew;
      bracketG[low] = gNew.clone();
      bracketGtd[low] = gtdNew;
    }
  }
  return [bracketF[low], bracketG[low], bracket[low], evals];
}

export class LBFGS extends Optimizer<LBFGSOptions> {
  constructor(params: ParamsLike<LBFGSOptions>, options: Partial<Omit<LBFGSOptions, 'maxEval'>> & { maxEval?: number | null } = {}) {
    const { maxEval, ...rest } = options;
    const defaults = withDefaults('LBFGS', {
      lr: 1, maxIter: 20, maxEval: 0, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100,
      lineSearchFn: null as LBFGSOptions['lineSearchFn'],
    }, rest);
    defaults.maxEval = maxEval ?? Math.floor((defaults.maxIter * 5) / 4);
    if (!(defaults.lr >= 0)) throw new Error(`Invalid learning rate: ${defaults.lr}`);
    super(params, defaults);
    if (this.paramGroups.length !== 1) throw new Error("LBFGS doesn't support per-parameter options (parameter groups)");
  }

  private get params(): Tensor[] {
    return this.paramGroups[0].params;
  }

  private gatherFlatGrad(): Tensor {
    return cat(this.params.map((p) => {
      const g = p.grad;
      const view = g === null ? p.newZeros([p.numel()]) : g.reshape(-1);
      return view.isComplex() ? viewAsReal(view).reshape(-1) : view;
    }), 0);
  }

  private addGrad(stepSize: number, update: Tensor): void {
    let offset = 0;
    for (const param of this.params) {
      const p = param.isComplex() ? viewAsReal(param) : param;
      const n = p.numel();
      p.add_(update.narrow(0, offset, n).viewAs(p), { alpha: stepSize });
      offset += n;
    }
  }

  protected update(): void {
    throw new Error('LBFGS updates all parameters together, in step(closure)');
  }

  /** Runs up to maxIter iterations; `closure` clears the gradients, computes the loss, calls backward and returns it. */
  override step<L = Tensor | number>(closure?: () => L): L | undefined {
    if (typeof closure !== 'function') {
      throw new Error('LBFGS requires a closure that re-evaluates the model and returns the loss');
    }
    const evaluate = () => toNumber(enableGrad(closure as unknown as Closure));
    const group = this.paramGroups[0];
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = group;
    if (lineSearchFn !== null && lineSearchFn !== undefined && lineSearchFn !== 'strong_wolfe') {
      throw new Error("only 'strong_wolfe' is supported");
    }
    const state = this.stateOf(this.params[0]);
    state.funcEvals ??= 0;
    state.nIter ??= 0;

    const origLoss = enableGrad(closure);
    let loss = toNumber(origLoss as unknown as Tensor | number);
    let currentEvals = 1;
    state.funcEvals = (state.funcEvals as number) + 1;

    return noGrad(() => {
      let flatGrad = this.gatherFlatGrad();
      let optCond = flatGrad.abs().max().le(toleranceGrad).item() as boolean;
      if (optCond) return origLoss;

      let d = state.d as Tensor | undefined;
      let t = state.t as Scalar | undefined;
      let oldDirs = state.oldDirs as Tensor[] | undefined;
      let oldStps = state.oldStps as Tensor[] | undefined;
      let ro = state.ro as Tensor[] | undefined;
      let hDiag = state.hDiag as Scalar | undefined;
      let prevFlatGrad = state.prevFlatGrad as Tensor | undefined;
      let prevLoss = state.prevLoss as number | undefined;

      let nIter = 0;
      while (nIter < maxIter) {
        nIter += 1;
        state.nIter = (state.nIter as number) + 1;

        // The direction: steepest descent first, then the two-loop recursion over the history.
        if (state.nIter === 1) {
          d = flatGrad.neg();
          oldDirs = [];
          oldStps = [];
          ro = [];
          hDiag = 1;
        } else {
          const y = flatGrad.sub(prevFlatGrad!);
          const s = times(d!, t!);
          const ys = y.dot(s);
          if (ys.gt(1e-10).item()) {
            if (oldDirs!.length === historySize) {
              oldDirs!.shift();
              oldStps!.shift();
              ro!.shift();
            }
            oldDirs!.push(y);
            oldStps!.push(s);
            ro!.push(ys.reciprocal());
            hDiag = ys.div(y.dot(y));
          }
          const numOld = oldDirs!.length;
          const al: Tensor[] = (state.al as Tensor[] | undefined) ?? [];
          state.al = al;
          const q = flatGrad.neg();
          for (let i = numOld - 1; i >= 0; i--) {
            al[i] = oldStps![i].dot(q).mul(ro![i]);
            q.add_(oldDirs![i], { alpha: -toNumber(al[i]) });
          }
          const r = times(q, hDiag!);
          for (let i = 0; i < numOld; i++) {
            const be = oldDirs![i].dot(r).mul(ro![i]);
            r.add_(oldStps![i], { alpha: toNumber(al[i].sub(be)) });
          }
          d = r;
        }

        if (prevFlatGrad === undefined) prevFlatGrad = flatGrad.clone();
        else prevFlatGrad.copy_(flatGrad);
        prevLoss = loss;

        // The step length: lr, scaled down on the very first iteration.
        if (state.nIter === 1) {
          const inverse = flatGrad.abs().sum().reciprocal();
          t = inverse.lt(1).item() ? inverse.mul(lr) : lr;
        } else {
          t = lr;
        }
        const gtd = flatGrad.dot(d!);
        if (gtd.gt(-toleranceChange).item()) break;

        let lsEvals = 0;
        if (lineSearchFn === 'strong_wolfe') {
          const start = this.params.map((p) => p.clone());
          const direction = d!;
          const objective = (step: number): [number, Tensor] => {
            this.addGrad(step, direction);
            const value = evaluate();
            const grad = this.gatherFlatGrad();
            this.params.forEach((p, i) => p.copy_(start[i]));
            return [value, grad];
          };
          let tFound: number;
          [loss, flatGrad, tFound, lsEvals] = strongWolfe(objective, toNumber(t), direction, loss, flatGrad,
            toNumber(gtd), maxEval - currentEvals);
          t = tFound;
          this.addGrad(t, d!);
          optCond = flatGrad.abs().max().le(toleranceGrad).item() as boolean;
        } else {
          this.addGrad(toNumber(t), d!);
          if (nIter !== maxIter) {
            loss = evaluate();
            flatGrad = this.gatherFlatGrad();
            optCond = flatGrad.abs().max().le(toleranceGrad).item() as boolean;
            lsEvals = 1;
          }
        }
        currentEvals += lsEvals;
        state.funcEvals = (state.funcEvals as number) + lsEvals;

        if (nIter === maxIter) break;
        if (currentEvals >= maxEval) break;
        if (optCond) break;
        if (times(d!, t!).abs().max().le(toleranceChange).item()) break;
        if (Math.abs(loss - prevLoss) < toleranceChange) break;
      }

      for (const value of [d, prevFlatGrad, ...(oldDirs ?? []), ...(oldStps ?? []), ...(ro ?? []), ...((state.al as Tensor[]) ?? [])]) {
        if (value !== undefined && value !== null) keep(value);
      }
      if (typeof t !== 'number' && t !== undefined) keep(t);
      if (typeof hDiag !== 'number' && hDiag !== undefined) keep(hDiag);
      Object.assign(state, { d, t, oldDirs, oldStps, ro, hDiag, prevFlatGrad, prevLoss });
      return origLoss;
    });
  }
}
