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
