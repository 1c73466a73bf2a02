// torch.optim.lr_scheduler: each parameter group's learning rate, epoch by epoch, computed as
// PyTorch computes it: step() uses the recursive form (from the rates the groups have now, so
// several schedulers on one optimizer compose), step(epoch) the closed form where there is one.
// Required arguments are positional, the rest an options object:
// new StepLR(optimizer, 30, { gamma: 0.1 }), new ReduceLROnPlateau(optimizer, { patience: 5 }).
import type { Tensor } from '../tensor';
import { Optimizer } from './optimizer';
import { camelName } from './names';
import { type AnyOptimizer, type LrGroup, byKeyword, checkNumber, checkOptions, perGroup } from './lr-scheduler-shared';
import { powi } from './powi';

/** Makes the base constructor skip what PyTorch's ReduceLROnPlateau skips (initialLr, the first step). */
const plateau: unique symbol = Symbol('ReduceLROnPlateau');

function copyPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyPlain);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyPlain(v)]));
  }
  return value;
}

export abstract class LRScheduler {
  readonly optimizer: AnyOptimizer;
  /** The epoch of the rates in force now (-1 before the first step; the constructor's step makes it 0). */
  lastEpoch: number;
  /** Each group's initialLr when the scheduler was made. */
  baseLrs: number[];
  protected _stepCount = 0;
  protected _isInitial = false;
  protected _lastLr: number[] = [];

  constructor(optimizer: AnyOptimizer, lastEpoch?: number);
  /** @internal */
  constructor(optimizer: AnyOptimizer, lastEpoch: typeof plateau);
  constructor(optimizer: AnyOptimizer, lastEpoch: number | typeof plateau = -1) {
    if (!(optimizer instanceof Optimizer)) {
      throw new TypeError(`${(optimizer as object | null)?.constructor?.name ?? typeof optimizer} is not an Optimizer`);
    }
    this.optimizer = optimizer;
    if (lastEpoch === plateau) {
      this.lastEpoch = 0;
      this.baseLrs = [];
      return;
    }
    const groups = this.groups();
    if (lastEpoch === -1) {
      for (const group of groups) if (group.initialLr === undefined) group.initialLr = group.lr;
    } else {
      groups.forEach((group, i) => {
        if (group.initialLr === undefined) {
          throw new Error(`param 'initialLr' is not specified in paramGroups[${i}] when resuming scheduler with lastEpoch >= 0.\n`
            + 'This typically happens when:\n'
            + "1. You're trying to resume training from a checkpoint but haven't properly loaded the optimizer state\n"
            + "2. You're using lastEpoch >= 0 for a fresh training run (not recommended)");
        }
      });
    }
    this.baseLrs = groups.map((group) => group.initialLr!);
    this.lastEpoch = lastEpoch;
  }

  protected groups(): LrGroup[] {
    return this.optimizer.paramGroups as unknown as LrGroup[];
  }

  /** The rates the groups have now. */
  protected currentLrs(): number[] {
    return this.groups().map((group) => group.lr);
  }

  /** Subclasses call this last in their constructors (PyTorch's _initial_step): sets the epoch-0 rates. */
  protected initialStep(): void {
    this._stepCount = 0;
    this._isInitial = true;
    try {
      this.step();
    } finally {
      this._isInitial = false;
    }
  }

  /** The rates for epoch lastEpoch, computed from the current ones (to read them, use getLastLr()). */
  abstract getLr(): number[];

  /** The rates for epoch lastEpoch from the base rates alone, where a schedule has a closed form. */
  protected closedFormLr?(): number[];

  /**
   * Moves to the next epoch (call after optimizer.step()). `epoch` (deprecated in PyTorch)
   * jumps to that epoch, through the closed form where the schedule has one.
   */
  step(epoch?: number): void {
    this._stepCount += 1;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch += 1;
      values = this.getLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr !== undefined ? this.closedFormLr() : this.getLr();
    }
    const groups = this.groups();
    if (values.length !== groups.length) {
      throw new Error(`${this.constructor.name} computed ${values.length} rates for ${groups.length} parameter groups`);
    }
    groups.forEach((group, i) => (group.lr = values[i]));
    this._lastLr = groups.map((group) => group.lr);
  }

  /** The rates the last step set, one per parameter group. */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /** Everything but the optimizer (and functions, which cannot be saved): torch.save can write it. */
  stateDict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this)) {
      if (key === 'optimizer' || typeof value === 'function') continue;
      out[key] = copyPlain(value);
    }
    return out;
  }

  /** Restores a stateDict() (a PyTorch scheduler's state_dict, read with torch.load, works too). */
  loadStateDict(stateDict: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(stateDict)) {
      const name = camelName(key);
      if (name === 'optimizer' || !(name in this) || typeof (this as Record<string, unknown>)[name] === 'function') continue;
      (this as Record<string, unknown>)[name] = copyPlain(value);
    }
  }
}

/** Multiplies the rates by gamma every stepSize epochs. */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: AnyOptimizer, stepSize: number, options?: { gamma?: number; lastEpoch?: number });
  constructor(optimizer: AnyOptimizer, options: { stepSize: number; gamma?: number; lastEpoch?: number });
  constructor(optimizer: AnyOptimizer, stepSize: number | { stepSize: number }, options: { gamma?: number; lastEpoch?: number } = {}) {
    [stepSize, options] = byKeyword<number, typeof options>(stepSize, 'stepSize', options);
    checkOptions('StepLR', options, ['gamma', 'lastEpoch']);
    checkNumber('StepLR', 'stepSize', stepSize, 'new StepLR(optimizer, stepSize, { gamma })');
    super(optimizer, options.lastEpoch ?? -1);
    this.stepSize = stepSize;
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * powi(this.gamma, Math.floor(this.lastEpoch / this.stepSize)));
  }
}

/** Multiplies the rates by gamma at each milestone epoch (once per time it is listed). */
export class MultiStepLR extends LRScheduler {
  /** The milestones, sorted, each as many times as it was given. */
  milestones: number[];
  gamma: number;

  constructor(optimizer: AnyOptimizer, milestones: Iterable<number>, options?: { gamma?: number; lastEpoch?: number });
  constructor(optimizer: AnyOptimizer, options: { milestones: Iterable<number>; gamma?: number; lastEpoch?: number });
  constructor(optimizer: AnyOptimizer, milestones: Iterable<number> | { milestones: Iterable<number> },
    options: { gamma?: number; lastEpoch?: number } = {}) {
    [milestones, options] = byKeyword<Iterable<number>, typeof options>(milestones, 'milestones', options);
    checkOptions('MultiStepLR', options, ['gamma', 'lastEpoch']);
    if (milestones === null || typeof (milestones as Iterable<number>)?.[Symbol.iterator] !== 'function') {
      throw new TypeError('MultiStepLR: milestones must be a list of epochs (new MultiStepLR(optimizer, milestones, { gamma }))');
    }
    super(optimizer, options.lastEpoch ?? -1);
    this.milestones = [...milestones].sort((a, b) => a - b);
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  private count(epoch: number): number {
    return this.milestones.filter((m) => m === epoch).length;
  }

  getLr(): number[] {
    const hits = this.count(this.lastEpoch);
    if (hits === 0) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * powi(this.gamma, hits));
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length; // bisect_right
    return this.baseLrs.map((base) => base * powi(this.gamma, passed));
  }

  override loadStateDict(stateDict: Record<string, unknown>): void {
    super.loadStateDict(stateDict);
    // PyTorch keeps a Counter {epoch: times}; torch.load reads it as an object.
    const m = this.milestones as unknown;
    if (m !== null && typeof m === 'object' && !Array.isArray(m)) {
      this.milestones = Object.entries(m as Record<string, number>)
        .flatMap(([epoch, times]) => Array<number>(Number(times)).fill(Number(epoch))).sort((a, b) => a - b);
    }
  }
}

/** Multiplies the rates by gamma every epoch. */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: AnyOptimizer, gamma: number, options?: { lastEpoch?: number });
  constructor(optimizer: AnyOptimizer, options: { gamma: number; lastEpoch?: number });
  constructor(optimizer: AnyOptimizer, gamma: number | { gamma: number }, options: { lastEpoch?: number } = {}) {
    [gamma, options] = byKeyword<number, typeof options>(gamma, 'gamma', options);
    checkOptions('ExponentialLR', options, ['lastEpoch']);
    checkNumber('ExponentialLR', 'gamma', gamma, 'new ExponentialLR(optimizer, gamma)');
    super(optimizer, options.lastEpoch ?? -1);
    this.gamma = gamma;
    this.initialStep();
  }

  getLr(): number[] {
    if (this._isInitial) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * powi(this.gamma, this.lastEpoch));
  }
}

/**
 * Cosine annealing from the base rates down to etaMin over tMax epochs, and back up over the
 * next tMax (SGDR without restarts), in PyTorch's recursive form.
 */
export class CosineAnnealingLR extends LRScheduler {
  tMax: number;
  etaMin: number;

  constructor(optimizer: AnyOptimizer, tMax: number, options?: { etaMin?: number; lastEpoch?: number });
  constructor(optimizer: AnyOptimizer, options: { tMax: number; etaMin?: number; lastEpoch?: number });
  constructor(optimizer: AnyOptimizer, tMax: number | { tMax: number }, options: { etaMin?: number; lastEpoch?: number } = {}) {
    [tMax, options] = byKeyword<number, typeof options>(tMax, 'tMax', options);
    checkOptions('CosineAnnealingLR', options, ['etaMin', 'lastEpoch']);
    checkNumber('CosineAnnealingLR', 'tMax', tMax, 'new CosineAnnealingLR(optimizer, tMax, { etaMin })');
    super(optimizer, options.lastEpoch ?? -1);
    this.tMax = tMax;
    this.etaMin = options.etaMin ?? 0;
    this.initialStep();
  }

  getLr(): number[] {
    const { lastEpoch: t, tMax, etaMin } = this;
    if (this._isInitial) return this.currentLrs();
    if (this._stepCount === 1 && t > 0) {
      return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((t * Math.PI) / tMax))) / 2);
    }
    if ((t - 1 - tMax) % (2 * tMax) === 0) {
      return this.currentLrs().map((lr, i) => lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    return this.currentLrs().map((lr) =>
      ((1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax))) * (lr - etaMin) + etaMin);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) =>
      this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2);
  }
}

/** A function of the epoch giving the factor applied to a base rate (LambdaLR). */
export type LrLambda = (epoch: number) => number;

/** Sets each rate to its base rate times lrLambda(epoch) (one function, or one per group). */
export class LambdaLR extends LRScheduler {
  lrLambdas: ((epoch: number) => number)[];

  constructor(optimizer: AnyOptimizer, lrLambda: LrLambda | LrLambda[], options?: { lastEpoch?: number });
  constructor(optimizer: AnyOptimizer, options: { lrLambda: LrLambda | LrLambda[]; lastEpoch?: number });
  constructor(optimizer: AnyOptimizer, lrLambda: LrLambda | LrLambda[] | { lrLambda: LrLambda | LrLambda[] },
    options: { lastEpoch?: number } = {}) {
    [lrLambda, options] = byKeyword<LrLambda | LrLambda[], typeof options>(lrLambda, 'lrLambda', options);
    checkOptions('LambdaLR', options, ['lastEpoch']);
    if (Array.isArray(lrLambda)) {
      if (optimizer instanceof Optimizer && lrLambda.length !== optimizer.paramGroups.length) {
        throw new Error(`Expected ${optimizer.paramGroups.length} lr_lambdas, but got ${lrLambda.length}`);
      }
    } else if (typeof lrLambda !== 'function') {
      throw new TypeError('LambdaLR: lrLambda must be a function or one per group (new LambdaLR(optimizer, lrLambda))');
    }
    super(optimizer, options.lastEpoch ?? -1);
    this.lrLambdas = Array.isArray(lrLambda) ? [...lrLambda] : optimizer.paramGroups.map(() => lrLambda);
    this.initialStep();
  }

  getLr(): number[] {
    return this.baseLrs.map((base, i) => base * this.lrLambdas[i](this.lastEpoch));
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

export interface ReduceLROnPlateauOptions {
  /** 'min': lower the rate when the metric stops decreasing; 'max': when it stops increasing. */
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  minLr?: number | number[];
  eps?: number;
}

/** Multiplies the rates by factor when a metric has not improved for more than patience epochs: step(metric). */
export class ReduceLROnPlateau extends LRScheduler {
  factor: number;
  minLrs: number[];
  defaultMinLr: number | null;
  patience: number;
  cooldown: number;
  eps: number;
  mode!: 'min' | 'max';
  threshold!: number;
  thresholdMode!: 'rel' | 'abs';
  best!: number;
  numBadEpochs!: number;
  cooldownCounter!: number;
  modeWorse!: number;

  constructor(optimizer: AnyOptimizer, options: ReduceLROnPlateauOptions = {}) {
    checkOptions('ReduceLROnPlateau', options, ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps']);
    super(optimizer, plateau);
    const { mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = 'rel', cooldown = 0, minLr = 0, eps = 1e-8 } = options;
    if (factor >= 1.0) throw new Error('Factor should be < 1.0.');
    this.factor = factor;
    if (Array.isArray(minLr)) {
      if (minLr.length !== optimizer.paramGroups.length) {
        throw new Error(`expected ${optimizer.paramGroups.length} min_lrs, got ${minLr.length}`);
      }
      this.defaultMinLr = null;
      this.minLrs = [...minLr];
    } else {
      this.defaultMinLr = minLr;
      this.minLrs = optimizer.paramGroups.map(() => minLr);
    }
    this.patience = patience;
    this.cooldown = cooldown;
    this.eps = eps;
    this.lastEpoch = 0;
    this._lastLr = this.currentLrs();
    this.initIsBetter(mode, threshold, thresholdMode);
    this.reset();
  }

  private reset(): void {
    this.best = this.modeWorse;
    this.cooldownCounter = 0;
    this.numBadEpochs = 0;
  }

  private initIsBetter(mode: string, threshold: number, thresholdMode: string): void {
    if (mode !== 'min' && mode !== 'max') throw new Error(`mode ${mode} is unknown!`);
    if (thresholdMode !== 'rel' && thresholdMode !== 'abs') throw new Error(`threshold mode ${thresholdMode} is unknown!`);
    this.modeWorse = mode === 'min' ? Infinity : -Infinity;
    this.mode = mode;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < best * (1 - this.threshold);
    if (this.mode === 'min' && this.thresholdMode === 'abs') return a < best - this.threshold;
    if (this.mode === 'max' && this.thresholdMode === 'rel') return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  /** Not a schedule: the rates change only in step(metric). */
  getLr(): number[] {
    return this.currentLrs();
  }

  /** Records this epoch's metric (a number or a one-element tensor) and lowers the rates if it has plateaued. */
  override step(metrics?: number | Tensor, epoch?: number): void {
    if (metrics === undefined) throw new TypeError('ReduceLROnPlateau.step(metric) needs the metric (e.g. the validation loss)');
    const current = typeof metrics === 'number' ? metrics : Number(metrics.item());
    this.lastEpoch = epoch ?? this.lastEpoch + 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs in cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this._lastLr = this.currentLrs();
  }

  private reduceLr(): void {
    const groups = this.groups();
    if (groups.length !== this.minLrs.length) {
      if (this.defaultMinLr === null) {
        throw new Error(`The number of param groups in the \`optimizer\` (${groups.length}) differs from when \`ReduceLROnPlateau\` `
          + `was initialized (${this.minLrs.length}), usually due to a new param group being added to the optimizer. Please `
          + 'modify the `minLrs` field to match the length of the `optimizer` param groups.');
      }
      this.minLrs = groups.map(() => this.defaultMinLr!);
    }
    groups.forEach((group, i) => {
      const oldLr = group.lr;
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i]);
      if (oldLr - newLr > this.eps) group.lr = newLr;
    });
  }

  override loadStateDict(stateDict: Record<string, unknown>): void {
    super.loadStateDict(stateDict);
    this.initIsBetter(this.mode, this.threshold, this.thresholdMode);
  }
}

export interface OneCycleLROptions {
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
  lastEpoch?: number;
}

interface SchedulePhase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

/**
 * The 1cycle policy: the rate rises from maxLr / divFactor to maxLr, then anneals far below
 * the start, while momentum (or Adam's beta1) moves the opposite way. Step once per batch.
 */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  cycleMomentum: boolean;
  useBeta1 = false;
  private _schedulePhases: SchedulePhase[];
  private _annealFuncType: 'cos' | 'linear';

  constructor(optimizer: AnyOptimizer, maxLr: number | number[], options?: OneCycleLROptions);
  constructor(optimizer: AnyOptimizer, options: OneCycleLROptions & { maxLr: number | number[] });
  constructor(optimizer: AnyOptimizer, maxLr: number | number[] | { maxLr: number | number[] }, options: OneCycleLROptions = {}) {
    [maxLr, options] = byKeyword<number | number[], typeof options>(maxLr, 'maxLr', options);
    checkOptions('OneCycleLR', options, ['totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum',
      'baseMomentum', 'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase', 'lastEpoch']);
    if (!(optimizer instanceof Optimizer)) {
      throw new TypeError(`${(optimizer as object | null)?.constructor?.name ?? typeof optimizer} is not an Optimizer`);
    }
    const { totalSteps, epochs, stepsPerEpoch, pctStart = 0.3, annealStrategy = 'cos', cycleMomentum = true,
      baseMomentum = 0.85, maxMomentum = 0.95, divFactor = 25, finalDivFactor = 1e4, threePhase = false, lastEpoch = -1 } = options;
    let total: number;
    if (totalSteps !== undefined) {
      if (!Number.isInteger(totalSteps) || totalSteps <= 0) throw new Error(`Expected positive integer total_steps, but got ${totalSteps}`);
      total = totalSteps;
    } else if (epochs !== undefined && stepsPerEpoch !== undefined) {
      if (!Number.isInteger(epochs) || epochs <= 0) throw new Error(`Expected positive integer epochs, but got ${epochs}`);
      if (!Number.isInteger(stepsPerEpoch) || stepsPerEpoch <= 0) {
        throw new Error(`Expected positive integer steps_per_epoch, but got ${stepsPerEpoch}`);
      }
      total = epochs * stepsPerEpoch;
    } else {
      throw new Error('You must define either total_steps OR (epochs AND steps_per_epoch)');
    }
    const phases: SchedulePhase[] = threePhase
      ? [
        { endStep: pctStart * total - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
        { endStep: 2 * pctStart * total - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        { endStep: total - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
      ]
      : [
        { endStep: pctStart * total - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
        { endStep: total - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
      ];
    if (!(pctStart >= 0 && pctStart <= 1)) throw new Error(`Expected float between 0 and 1 pct_start, but got ${pctStart}`);
    if (annealStrategy !== 'cos' && annealStrategy !== 'linear') {
      throw new Error(`anneal_strategy must be one of 'cos' or 'linear', instead got ${annealStrategy}`);
    }
    const groups = optimizer.paramGroups as unknown as LrGroup[];
    const maxLrs = perGroup('maxLr', optimizer, maxLr);
    if (lastEpoch === -1) {
      groups.forEach((group, i) => {
        group.initialLr = maxLrs[i] / divFactor;
        group.maxLr = maxLrs[i];
        group.minLr = group.initialLr / finalDivFactor;
      });
    }
    let useBeta1 = false;
    if (cycleMomentum) {
      if (!('momentum' in optimizer.defaults) && !('betas' in optimizer.defaults)) {
        throw new Error('optimizer must support momentum or beta1 with `cycle_momentum` option enabled');
      }
      useBeta1 = 'betas' in optimizer.defaults;
      const maxMomentums = perGroup('maxMomentum', optimizer, maxMomentum);
      const baseMomentums = perGroup('baseMomentum', optimizer, baseMomentum);
      if (lastEpoch === -1) {
        groups.forEach((group, i) => {
          if (useBeta1) group.betas = [maxMomentums[i], ...(group.betas as number[]).slice(1)];
          else group.momentum = maxMomentums[i];
          group.maxMomentum = maxMomentums[i];
          group.baseMomentum = baseMomentums[i];
        });
      }
    }
    super(optimizer, lastEpoch);
    this.totalSteps = total;
    this._schedulePhases = phases;
    this._annealFuncType = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this._annealFuncType === 'cos') return end + ((start - end) / 2.0) * (Math.cos(Math.PI * pct) + 1);
    return (end - start) * pct + start;
  }

  getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new Error(`Tried to step ${stepNum} times. The specified number of total steps is ${this.totalSteps}`);
    }
    return this.groups().map((group) => {
      let startStep = 0;
      let lr = group.lr;
      for (const [i, phase] of this._schedulePhases.entries()) {
        const endStep = phase.endStep;
        if (stepNum <= endStep || i === this._schedulePhases.length - 1) {
          const pct = (stepNum - startStep) / (endStep - startStep);
          lr = this.anneal(group[phase.startLr] as number, group[phase.endLr] as number, pct);
          if (this.cycleMomentum) {
            const momentum = this.anneal(group[phase.startMomentum] as number, group[phase.endMomentum] as number, pct);
            if (this.useBeta1) group.betas = [momentum, ...(group.betas as number[]).slice(1)];
            else group.momentum = momentum;
          }
          break;
        }
        startStep = phase.endStep;
      }
      return lr;
    });
  }
}
