// torch.optim.LBFGS (without line search, PyTorch's default): step(closure) runs up to
// maxIter quasi-Newton iterations over all parameters flattened into one vector.
import type { Tensor } from '../tensor';
import { cat } from '../generated/functions';
import { noGrad, enableGrad } from '../autograd';
import { Optimizer, type ParamsLike } from './optimizer';

export interface LBFGSOptions {
  lr: number;
  maxIter: number;
  maxEval: number | null;
  toleranceGrad: number;
  toleranceChange: number;
  historySize: number;
}

interface LBFGSState {
  funcEvals: number;
  nIter: number;
  d?: Tensor;
  t?: number;
  oldDirs: Tensor[];
  oldStps: Tensor[];
  ro: number[];
  hDiag: number;
  prevFlatGrad?: Tensor;
  prevLoss?: number;
}

export class LBFGS extends Optimizer<LBFGSOptions> {
  private s: LBFGSState = { funcEvals: 0, nIter: 0, oldDirs: [], oldStps: [], ro: [], hDiag: 1 };

  constructor(params: ParamsLike<LBFGSOptions>, options: Partial<LBFGSOptions> = {}) {
    super(params, { lr: 1, maxIter: 20, maxEval: null, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, ...options });
    if (this.paramGroups.length !== 1) throw new Error("LBFGS doesn't support per-parameter options (parameter groups)");
  }

  private get params(): Tensor[] {
    return this.paramGroups[0].params;
  }

  private flatGrad(): Tensor {
    return cat(this.params.map((p) => (p.grad ?? p.newZeros(p.shape)).reshape(-1)));
  }

  private addGrad(stepSize: number, direction: Tensor): void {
    let offset = 0;
    for (const p of this.params) {
      const n = p.numel();
      p.add_(direction.narrow(0, offset, n).viewAs(p), { alpha: stepSize });
      offset += n;
    }
  }

  protected update(): void {
    throw new Error('LBFGS updates all parameters at once in step(closure)');
  }

  override step(closure?: () => Tensor | number): Tensor | number {
    if (!closure) throw new Error('LBFGS requires a closure that re-evaluates the model and returns the loss');
    const g = this.paramGroups[0];
    const maxEval = g.maxEval ?? Math.floor(g.maxIter * 1.25);
    const st = this.s;
    const evaluate = () => enableGrad(() => closure());
    const origLoss = evaluate();
    let loss = Number(typeof origLoss === 'number' ? origLoss : origLoss.item());
    let currentEvals = 1;
    st.funcEvals += 1;
    return noGrad(() => {
      let flatGrad = this.flatGrad();
      let optCond = flatGrad.abs().max().item() <= g.toleranceGrad;
      if (optCond) return origLoss;
      let nIter = 0;
      while (nIter < g.maxIter) {
        nIter += 1;
        st.nIter += 1;
        if (st.nIter === 1) {
          st.d = flatGrad.neg();
          st.oldDirs = [];
          st.oldStps = [];
          st.ro = [];
          st.hDiag = 1;
        } else {
          const y = flatGrad.sub(st.prevFlatGrad!);
          const s = st.d!.mul(st.t!);
          const ys = y.dot(s).item();
          if (ys > 1e-10) {
            if (st.oldDirs.length === g.historySize) {
              st.oldDirs.shift();
              st.oldStps.shift();
              st.ro.shift();
            }
            st.oldDirs.push(y);
            st.oldStps.push(s);
            st.ro.push(1 / ys);
            st.hDiag = ys / y.dot(y).item();
          }
          const al: number[] = [];
          const q = flatGrad.neg();
          for (let i = st.oldDirs.length - 1; i >= 0; i--) {
            al[i] = st.oldStps[i].dot(q).item() * st.ro[i];
            q.add_(st.oldDirs[i], { alpha: -al[i] });
          }
          const r = q.mul(st.hDiag);
          for (let i = 0; i < st.oldDirs.length; i++) {
            const be = st.oldDirs[i].dot(r).item() * st.ro[i];
            r.add_(st.oldStps[i], { alpha: al[i] - be });
          }
          st.d = r;
        }
        st.prevFlatGrad = flatGrad.clone();
        const prevLoss = loss;
        st.prevLoss = loss;
        st.t = st.nIter === 1 ? Math.min(1, 1 / flatGrad.abs().sum().item()) * g.lr : g.lr;
        const gtd = flatGrad.dot(st.d!).item();
        if (gtd > -g.toleranceChange) break;
        let lsEvals = 0;
        this.addGrad(st.t, st.d!);
        if (nIter !== g.maxIter) {
          const l = evaluate();
          loss = Number(typeof l === 'number' ? l : l.item());
          flatGrad = this.flatGrad();
          optCond = flatGrad.abs().max().item() <= g.toleranceGrad;
          lsEvals = 1;
        }
        currentEvals += lsEvals;
        st.funcEvals += lsEvals;
        if (nIter === g.maxIter || currentEvals >= maxEval || optCond) break;
        if (st.d!.mul(st.t).abs().max().item() <= g.toleranceChange) break;
        if (Math.abs(loss - prevLoss) < g.toleranceChange) break;
      }
      return origLoss;
    });
  }
}
