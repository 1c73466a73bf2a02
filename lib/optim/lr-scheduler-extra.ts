// More of torch.optim.lr_scheduler: warm-up factors (ConstantLR, LinearLR), MultiplicativeLR,
// PolynomialLR, cosine annealing with warm restarts, cyclical rates, and the two schedulers
// made of schedulers (SequentialLR, ChainedScheduler), with PyTorch's stepping rules.
import { LRScheduler, type LrLambda } from './lr-scheduler';
import { type AnyOptimizer, byKeyword, checkNumber, checkOptions, perGroup } from './lr-scheduler-shared';
import { Optimizer } from './optimizer';
import { powi } from './powi';

/** Multiplies the rates by factor until epoch totalIters, then restores them. */
export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;

  constructor(optimizer: AnyOptimizer, options: { factor?: number; totalIters?: number; lastEpoch?: number } = {}) {
    checkOptions('ConstantLR', options, ['factor', 'totalIters', 'lastEpoch']);
    const { factor = 1.0 / 3, totalIters = 5, lastEpoch = -1 } = options;
    if (factor > 1.0 || factor < 0) throw new Error('Constant multiplicative factor expected to be between 0 and 1.');
    super(optimizer, lastEpoch);
    this.factor = factor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  getLr(): number[] {
    if (this.lastEpoch === 0) return this.currentLrs().map((lr) => lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * (1.0 / this.factor));
  }

  protected override closedFormLr(): number[] {
    const reached = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((base) => base * (this.factor + reached * (1 - this.factor)));
  }
}

/** Moves the factor applied to the rates linearly from startFactor to endFactor over totalIters epochs. */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: AnyOptimizer, options: { startFactor?: number; endFactor?: number; totalIters?: number; lastEpoch?: number } = {}) {
    checkOptions('LinearLR', options, ['startFactor', 'endFactor', 'totalIters', 'lastEpoch']);
    const { startFactor = 1.0 / 3, endFactor = 1.0, totalIters = 5, lastEpoch = -1 } = options;
    if (startFactor > 1.0 || startFactor <= 0) {
      throw new Error('Starting multiplicative factor expected to be greater than 0 and less or equal to 1.');
    }
    if (endFactor > 1.0 || endFactor < 0) throw new Error('Ending multiplicative factor expected to be between 0 and 1.');
    super(optimizer, lastEpoch);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  getLr(): number[] {
    const { startFactor, endFactor, totalIters, lastEpoch } = this;
    if (lastEpoch === 0) return this.currentLrs().map((lr) => lr * startFactor);
    if (this._isInitial || lastEpoch > totalIters) return this.currentLrs();
    const ratio = 1.0 + (endFactor - startFactor) / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor));
    return this.currentLrs().map((lr) => lr * ratio);
  }

  protected override closedFormLr(): number[] {
    const { startFactor, endFactor, totalIters, lastEpoch } = this;
    return this.baseLrs.map((base) => base * (startFactor + ((endFactor - startFactor) * Math.min(totalIters, lastEpoch)) / totalIters));
  }
}

/** Multiplies each rate by lrLambda(epoch) every epoch (one function, or one per group). */
export class MultiplicativeLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(optimizer: AnyOptimizer, lrLambda: LrLambda | LrLambda[], options?: { lastEpoch?: number });
  constructor(optimizer: AnyOptimizer, options: { lrLambda: LrLambda | LrLambda[]; lastEpoch?: number });
  constructor(optimizer: AnyOptimizer, lrLambda: LrLambda | LrLambda[] | { lrLambda: LrLambda | LrLambda[] },
    options: { lastEpoch?: number } = {}) {
    [lrLambda, options] = byKeyword<LrLambda | LrLambda[], typeof options>(lrLambda, 'lrLambda', options);
    checkOptions('MultiplicativeLR', options, ['lastEpoch']);
    if (!(optimizer instanceof Optimizer)) {
      throw new TypeError(`${(optimizer as object | null)?.constructor?.name ?? typeof optimizer} is not an Optimizer`);
    }
    const lambdas = Array.isArray(lrLambda) ? [...lrLambda] : optimizer.paramGroups.map(() => lrLambda as LrLambda);
    if (lambdas.length !== optimizer.paramGroups.length) {
      throw new Error(`Expected ${optimizer.paramGroups.length} lr_lambdas, but got ${lambdas.length}`);
    }
    for (const fn of lambdas) {
      if (typeof fn !== 'function') throw new TypeError(`lr_lambda should be a function, but got ${fn === null ? 'null' : typeof fn}`);
    }
    super(optimizer, options.lastEpoch ?? -1);
    this.lrLambdas = lambdas;
    this.initialStep();
  }

  getLr(): number[] {
    if (this._isInitial) return this.currentLrs();
    return this.currentLrs().map((lr, i) => lr * this.lrLambdas[i](this.lastEpoch));
  }

  /** As PyTorch: the functions are not saved (lrLambdas holds one null per group). */
  override stateDict(): Record<string, unknown> {
    return { ...super.stateDict(), lrLambdas: this.lrLambdas.map(() => null) };
  }

  override loadStateDict(stateDict: Record<string, unknown>): void {
    const { lrLambdas: _ignored, lr_lambdas: _ignoredToo, ...rest } = stateDict;
    super.loadStateDict(rest);
  }
}

/** Decays the rates to zero over totalIters epochs as (1 - t / totalIters) ** power. */
export class PolynomialLR extends LRScheduler {
  totalIters: number;
  power: number;

  constructor(optimizer: AnyOptimizer, options: { totalIters?: number; power?: number; lastEpoch?: number } = {}) {
    checkOptions('PolynomialLR', options, ['totalIters', 'power', 'lastEpoch']);
    const { totalIters = 5, power = 1.0, lastEpoch = -1 } = options;
    super(optimizer, lastEpoch);
    this.totalIters = totalIters;
    this.power = power;
    this.initialStep();
  }

  getLr(): number[] {
    const { totalIters, lastEpoch } = this;
    if (this._isInitial || lastEpoch > totalIters) return this.currentLrs();
    const decayFactor = ((1.0 - lastEpoch / totalIters) / (1.0 - (lastEpoch - 1) / totalIters)) ** this.power;
    return this.currentLrs().map((lr) => lr * decayFactor);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * (1.0 - Math.min(this.totalIters, this.lastEpoch) / this.totalIters) ** this.power);
  }
}

/**
 * SGDR: cosine annealing from the base rates to etaMin over t0 epochs, then a restart; each
 * period is tMult times the one before. step(epoch) may take a fractional epoch (per batch).
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  t0: number;
  /** The length of the current period. */
  tI: number;
  tMult: number;
  etaMin: number;
  /** Epochs since the last restart. */
  tCur: number;

  constructor(optimizer: AnyOptimizer, t0: number, options?: { tMult?: number; etaMin?: number; lastEpoch?: number });
  constructor(optimizer: AnyOptimizer, options: { t0: number; tMult?: number; etaMin?: number; lastEpoch?: number });
  constructor(optimizer: AnyOptimizer, t0: number | { t0: number }, options: { tMult?: number; etaMin?: number; lastEpoch?: number } = {}) {
    [t0, options] = byKeyword<number, typeof options>(t0, 't0', options);
    checkOptions('CosineAnnealingWarmRestarts', options, ['tMult', 'etaMin', 'lastEpoch']);
    const { tMult = 1, etaMin = 0.0, lastEpoch = -1 } = options;
    if (!Number.isInteger(t0) || t0 <= 0) throw new Error(`Expected positive integer T_0, but got ${t0}`);
    if (!Number.isInteger(tMult) || tMult < 1) throw new Error(`Expected integer T_mult >= 1, but got ${tMult}`);
    if (typeof etaMin !== 'number') throw new Error(`Expected float or int eta_min, but got ${String(etaMin)} of type ${typeof etaMin}`);
    super(optimizer, lastEpoch);
    this.t0 = t0;
    this.tI = t0;
    this.tMult = tMult;
    this.etaMin = etaMin;
    this.tCur = lastEpoch;
    this.initialStep();
  }

  getLr(): number[] {
    return this.baseLrs.map((base) => this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2);
  }

  /** Moves to the next epoch, or to `epoch` (fractional epochs allowed: step(epoch + i / iters)). */
  override step(epoch?: number): void {
    this._stepCount += 1;
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.tCur += 1;
      if (this.tCur >= this.tI) {
        this.tCur %= this.tI;
        this.tI *= this.tMult;
      }
    } else {
      if (epoch < 0) throw new Error(`Expected non-negative epoch, but got ${epoch}`);
      if (epoch >= this.t0) {
        if (this.tMult === 1) {
          this.tCur = epoch % this.t0;
        } else {
          const n = Math.trunc(Math.log((epoch / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
          this.tCur = epoch - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
          this.tI = this.t0 * this.tMult ** n;
        }
      } else {
        this.tI = this.t0;
        this.tCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    const values = this.getLr();
    this.groups().forEach((group, i) => (group.lr = values[i]));
    this._lastLr = this.currentLrs();
  }
}

export interface CyclicLROptions {
  stepSizeUp?: number;
  stepSizeDown?: number | null;
  mode?: 'triangular' | 'triangular2' | 'exp_range';
  gamma?: number;
  /** A custom scaling policy (replaces mode); scaleMode says whether it takes the cycle or the iteration. */
  scaleFn?: ((x: number) => number) | null;
  scaleMode?: 'cycle' | 'iterations';
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  lastEpoch?: number;
}

/**
 * Cyclical learning rates: each rate goes from baseLr to maxLr over stepSizeUp iterations and
 * back over stepSizeDown, scaled per cycle by mode (or scaleFn); momentum cycles the other way.
 * Step once per batch.
 */
export class CyclicLR extends LRScheduler {
  maxLrs: number[];
  totalSize: number;
  stepRatio: number;
  mode: string;
  gamma: number;
  scaleMode: 'cycle' | 'iterations';
  cycleMomentum: boolean;
  useBeta1 = false;
  baseMomentums: number[] = [];
  maxMomentums: number[] = [];
  private _scaleFnCustom: ((x: number) => number) | null;

  constructor(optimizer: AnyOptimizer, baseLr: number | number[], maxLr: number | number[], options?: CyclicLROptions);
  constructor(optimizer: AnyOptimizer, options: CyclicLROptions & { baseLr: number | number[]; maxLr: number | number[] });
  constructor(optimizer: AnyOptimizer, baseLr: number | number[] | (CyclicLROptions & { baseLr: number | number[]; maxLr: number | number[] }),
    maxLr?: number | number[], options: CyclicLROptions = {}) {
    if (baseLr !== null && typeof baseLr === 'object' && !Array.isArray(baseLr)) {
      ({ baseLr, maxLr, ...options } = baseLr);
    }
    checkOptions('CyclicLR', options, ['stepSizeUp', 'stepSizeDown', 'mode', 'gamma', 'scaleFn', 'scaleMode', 'cycleMomentum',
      'baseMomentum', 'maxMomentum', 'lastEpoch']);
    if (!(optimizer instanceof Optimizer)) {
      throw new TypeError(`${(optimizer as object | null)?.constructor?.name ?? typeof optimizer} is not an Optimizer`);
    }
    const usage = 'new CyclicLR(optimizer, baseLr, maxLr, { stepSizeUp })';
    if (!Array.isArray(baseLr)) checkNumber('CyclicLR', 'baseLr', baseLr, usage);
    if (!Array.isArray(maxLr)) checkNumber('CyclicLR', 'maxLr', maxLr, usage);
    const { stepSizeUp = 2000, stepSizeDown = null, mode = 'triangular', gamma = 1.0, scaleFn = null, scaleMode = 'cycle',
      cycleMomentum = true, baseMomentum = 0.8, maxMomentum = 0.9, lastEpoch = -1 } = options;
    const baseLrs = perGroup('base_lr', optimizer, baseLr);
    const groups = optimizer.paramGroups as { lr: number; betas?: number[]; [key: string]: unknown }[];
    if (lastEpoch === -1) groups.forEach((group, i) => (group.lr = baseLrs[i]));
    const maxLrs = perGroup('max_lr', optimizer, maxLr as number | number[]);
    const down = stepSizeDown ?? stepSizeUp;
    if (!['triangular', 'triangular2', 'exp_range'].includes(mode) && scaleFn === null) throw new Error('mode is invalid and scale_fn is None');
    let useBeta1 = false;
    let baseMomentums: number[] = [];
    let maxMomentums: number[] = [];
    if (cycleMomentum) {
      if (!('momentum' in optimizer.defaults) && !('betas' in optimizer.defaults)) {
        throw new Error('optimizer must support momentum or beta1 with `cycle_momentum` option enabled');
      }
      useBeta1 = 'betas' in optimizer.defaults;
      baseMomentums = perGroup('base_momentum', optimizer, baseMomentum);
      maxMomentums = perGroup('max_momentum', optimizer, maxMomentum);
      if (lastEpoch === -1) {
        groups.forEach((group, i) => {
          if (useBeta1) group.betas = [maxMomentums[i], ...group.betas!.slice(1)];
          else group.momentum = maxMomentums[i];
          group.maxMomentum = maxMomentums[i];
          group.baseMomentum = baseMomentums[i];
        });
      }
    }
    super(optimizer, lastEpoch);
    this.maxLrs = maxLrs;
    this.totalSize = stepSizeUp + down;
    this.stepRatio = stepSizeUp / this.totalSize;
    this.mode = mode;
    this.gamma = gamma;
    this._scaleFnCustom = scaleFn;
    // The built-in modes fix the scale mode, as PyTorch's _init_scale_fn does.
    this.scaleMode = scaleFn !== null ? scaleMode : mode === 'exp_range' ? 'iterations' : 'cycle';
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this.baseMomentums = baseMomentums;
    this.maxMomentums = maxMomentums;
    this.initialStep();
    this.baseLrs = baseLrs;
  }

  /** The scale of the cycle's amplitude at x (the cycle number or the iteration, per scaleMode). */
  scaleFn(x: number): number {
    if (this._scaleFnCustom !== null && this._scaleFnCustom !== undefined) return this._scaleFnCustom(x);
    if (this.mode === 'triangular') return 1.0;
    if (this.mode === 'triangular2') return 1 / 2.0 ** (x - 1);
    return powi(this.gamma, x);
  }

  getLr(): number[] {
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1.0 + this.lastEpoch / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.scaleFn(this.scaleMode === 'cycle' ? cycle : this.lastEpoch);
    const lrs = this.baseLrs.map((base, i) => base + (this.maxLrs[i] - base) * scaleFactor * scale);
    if (this.cycleMomentum) {
      this.groups().forEach((group, i) => {
        const momentum = this.maxMomentums[i] - (this.maxMomentums[i] - this.baseMomentums[i]) * scaleFactor * scale;
        if (this.useBeta1) group.betas = [momentum, ...(group.betas as number[]).slice(1)];
        else group.momentum = momentum;
      });
    }
    return lrs;
  }

  /** As PyTorch: a custom scaleFn is not saved. */
  override stateDict(): Record<string, unknown> {
    return { ...super.stateDict(), _scaleFnCustom: null };
  }

  override loadStateDict(stateDict: Record<string, unknown>): void {
    const { _scaleFnCustom: _ignored, _scale_fn_custom: _ignoredToo, _scaleFnRef: _ref, _scale_fn_ref: _refToo, ...rest } = stateDict;
    super.loadStateDict(rest);
  }
}
