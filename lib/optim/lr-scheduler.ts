// torch.optim.lr_scheduler: the learning rate of each parameter group per epoch, computed
// as PyTorch computes it (its recursive forms, so chained schedules agree too).
import type { Optimizer } from './optimizer';

type Group = { lr: number; initialLr?: number };

export abstract class LRScheduler {
  lastEpoch: number;
  readonly baseLrs: number[];
  private lastLr: number[] = [];

  constructor(readonly optimizer: Optimizer<object>, lastEpoch = -1) {
    const groups = this.groups();
    for (const g of groups) if (lastEpoch === -1 || g.initialLr === undefined) g.initialLr = g.lr;
    this.baseLrs = groups.map((g) => g.initialLr!);
    this.lastEpoch = lastEpoch;
  }

  /** Each subclass calls this last in its constructor (its own fields are set by then). */
  protected initialStep(): void {
    this.step();
  }

  protected groups(): Group[] {
    return this.optimizer.paramGroups as unknown as Group[];
  }

  /** The rates for the epoch this.lastEpoch, from the current ones. */
  protected abstract getLr(): number[];

  step(): void {
    this.lastEpoch += 1;
    const lrs = this.getLr();
    this.groups().forEach((g, i) => (g.lr = lrs[i]));
    this.lastLr = lrs;
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  protected current(): number[] {
    return this.groups().map((g) => g.lr);
  }
}

export class StepLR extends LRScheduler {
  constructor(optimizer: Optimizer<object>, readonly stepSize: number, readonly options: { gamma?: number; lastEpoch?: number } = {}) {
    super(optimizer, options.lastEpoch);
    this.initialStep();
  }
  protected getLr(): number[] {
    const gamma = this.options.gamma ?? 0.1;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.current();
    return this.current().map((lr) => lr * gamma);
  }
}

export class MultiStepLR extends LRScheduler {
  constructor(optimizer: Optimizer<object>, readonly milestones: number[], readonly options: { gamma?: number; lastEpoch?: number } = {}) {
    super(optimizer, options.lastEpoch);
    this.initialStep();
  }
  protected getLr(): number[] {
    const hits = (this.milestones).filter((m) => m === this.lastEpoch).length;
    return this.current().map((lr) => lr * (this.options.gamma ?? 0.1) ** hits);
  }
}

export class ExponentialLR extends LRScheduler {
  constructor(optimizer: Optimizer<object>, readonly gamma: number, options: { lastEpoch?: number } = {}) {
    super(optimizer, options.lastEpoch);
    this.initialStep();
  }
  protected getLr(): number[] {
    return this.lastEpoch === 0 ? this.current() : this.current().map((lr) => lr * this.gamma);
  }
}

export class CosineAnnealingLR extends LRScheduler {
  constructor(optimizer: Optimizer<object>, readonly tMax: number, readonly options: { etaMin?: number; lastEpoch?: number } = {}) {
    super(optimizer, options.lastEpoch);
    this.initialStep();
  }
  protected getLr(): number[] {
    const etaMin = this.options.etaMin ?? 0;
    const t = this.lastEpoch;
    const T = this.tMax;
    if (t === 0) return this.current();
    if ((t - 1 - T) % (2 * T) === 0) {
      return this.current().map((lr, i) => lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return this.current().map((lr) =>
      ((1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T))) * (lr - etaMin) + etaMin);
  }
}

export class LambdaLR extends LRScheduler {
  constructor(optimizer: Optimizer<object>, readonly lrLambda: ((epoch: number) => number) | ((epoch: number) => number)[],
    options: { lastEpoch?: number } = {}) {
    super(optimizer, options.lastEpoch);
    this.initialStep();
  }
  protected getLr(): number[] {
    return this.baseLrs.map((base, i) => base * (Array.isArray(this.lrLambda) ? this.lrLambda[i] : this.lrLambda)(this.lastEpoch));
  }
}

export interface ReduceLROnPlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  minLr?: number | number[];
  eps?: number;
}

/** Lowers the rates when a metric stops improving: step(metric) once per epoch. */
export class ReduceLROnPlateau {
  private best: number;
  private badEpochs = 0;
  private cooldownCounter = 0;
  lastEpoch = 0;
  private readonly o: Required<ReduceLROnPlateauOptions>;

  constructor(readonly optimizer: Optimizer<object>, options: ReduceLROnPlateauOptions = {}) {
    this.o = { mode: 'min', factor: 0.1, patience: 10, threshold: 1e-4, thresholdMode: 'rel', cooldown: 0, minLr: 0, eps: 1e-8, ...options };
    if (this.o.factor >= 1) throw new Error('Factor should be < 1.0.');
    this.best = this.o.mode === 'min' ? Infinity : -Infinity;
  }

  private isBetter(a: number): boolean {
    const { mode, thresholdMode, threshold } = this.o;
    if (mode === 'min') return thresholdMode === 'rel' ? a < this.best * (1 - threshold) : a < this.best - threshold;
    return thresholdMode === 'rel' ? a > this.best * (threshold + 1) : a > this.best + threshold;
  }

  step(metric: number): void {
    this.lastEpoch += 1;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.badEpochs = 0;
    } else {
      this.badEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.badEpochs = 0;
    }
    if (this.badEpochs > this.o.patience) {
      const groups = this.optimizer.paramGroups as unknown as Group[];
      groups.forEach((g, i) => {
        const minLr = Array.isArray(this.o.minLr) ? this.o.minLr[i] : this.o.minLr;
        const lr = Math.max(g.lr * this.o.factor, minLr);
        if (g.lr - lr > this.o.eps) g.lr = lr;
      });
      this.cooldownCounter = this.o.cooldown;
      this.badEpochs = 0;
    }
  }

  getLastLr(): number[] {
    return (this.optimizer.paramGroups as unknown as Group[]).map((g) => g.lr);
  }
}

export interface OneCycleLROptions {
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  cycleMomentum?: boolean;
  baseMomentum?: number;
  maxMomentum?: number;
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
  lastEpoch?: number;
}

type CycleGroup = Group & { maxLr: number; minLr: number; baseMomentum: number; maxMomentum: number; momentum?: number; betas?: [number, number] };
type Phase = { endStep: number; lr: [keyof CycleGroup, keyof CycleGroup]; momentum: [keyof CycleGroup, keyof CycleGroup] };

/** The 1cycle policy: warm up to maxLr, then anneal far below the start, cycling momentum inversely. */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  private readonly phases: Phase[];
  private readonly o: Required<Omit<OneCycleLROptions, 'totalSteps' | 'epochs' | 'stepsPerEpoch' | 'lastEpoch'>>;

  constructor(optimizer: Optimizer<object>, maxLr: number | number[], options: OneCycleLROptions = {}) {
    const o = { pctStart: 0.3, annealStrategy: 'cos' as const, cycleMomentum: true, baseMomentum: 0.85, maxMomentum: 0.95,
      divFactor: 25, finalDivFactor: 1e4, threePhase: false, ...options };
    const total = o.totalSteps ?? (o.epochs !== undefined && o.stepsPerEpoch !== undefined ? o.epochs * o.stepsPerEpoch : undefined);
    if (total === undefined || total <= 0) throw new Error('You must define either total_steps OR (epochs AND steps_per_epoch)');
    const groups = optimizer.paramGroups as unknown as CycleGroup[];
    const useBeta1 = 'betas' in optimizer.defaults;
    if (o.cycleMomentum && !useBeta1 && !('momentum' in optimizer.defaults)) {
      throw new Error('optimizer must support momentum or beta1 with `cycle_momentum` option enabled');
    }
    groups.forEach((g, i) => {
      const max = Array.isArray(maxLr) ? maxLr[i] : maxLr;
      const initial = max / o.divFactor;
      Object.assign(g, { lr: initial, initialLr: initial, maxLr: max, minLr: initial / o.finalDivFactor });
      if (o.cycleMomentum) {
        if (useBeta1) g.betas = [o.maxMomentum, g.betas![1]];
        else g.momentum = o.maxMomentum;
        Object.assign(g, { maxMomentum: o.maxMomentum, baseMomentum: o.baseMomentum });
      }
    });
    super(optimizer, options.lastEpoch);
    this.totalSteps = total;
    this.o = o;
    const warm = o.pctStart * total - 1;
    this.phases = o.threePhase
      ? [{ endStep: warm, lr: ['initialLr', 'maxLr'], momentum: ['maxMomentum', 'baseMomentum'] },
        { endStep: 2 * o.pctStart * total - 2, lr: ['maxLr', 'initialLr'], momentum: ['baseMomentum', 'maxMomentum'] },
        { endStep: total - 1, lr: ['initialLr', 'minLr'], momentum: ['maxMomentum', 'maxMomentum'] }]
      : [{ endStep: warm, lr: ['initialLr', 'maxLr'], momentum: ['maxMomentum', 'baseMomentum'] },
        { endStep: total - 1, lr: ['maxLr', 'minLr'], momentum: ['baseMomentum', 'maxMomentum'] }];
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    return this.o.annealStrategy === 'cos' ? end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
  }

  protected getLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) throw new Error(`Tried to step ${step} times. The specified number of total steps is ${this.totalSteps}`);
    const useBeta1 = 'betas' in this.optimizer.defaults;
    return (this.groups() as CycleGroup[]).map((g) => {
      let start = 0;
      let lr = g.lr;
      for (const [i, phase] of this.phases.entries()) {
        if (step <= phase.endStep || i === this.phases.length - 1) {
          const pct = (step - start) / (phase.endStep - start);
          lr = this.anneal(g[phase.lr[0]] as number, g[phase.lr[1]] as number, pct);
          if (this.o.cycleMomentum) {
            const m = this.anneal(g[phase.momentum[0]] as number, g[phase.momentum[1]] as number, pct);
            if (useBeta1) g.betas = [m, g.betas![1]];
            else g.momentum = m;
          }
          break;
        }
        start = phase.endStep;
      }
      return lr;
    });
  }
}
