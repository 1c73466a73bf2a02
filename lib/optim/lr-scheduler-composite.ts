// Schedulers made of schedulers: SequentialLR (one after another, switching at milestones) and
// ChainedScheduler (all of them every step, their factors composing).
import { LRScheduler, ReduceLROnPlateau } from './lr-scheduler';
import type { AnyOptimizer } from './lr-scheduler-shared';

/** What SequentialLR needs of its schedulers that LRScheduler keeps protected. */
type SchedulerInternals = { initialStep(): void; _schedulers?: LRScheduler[] };

function checkSchedulers(name: string, optimizer: AnyOptimizer | undefined, schedulers: LRScheduler[], empty: string): AnyOptimizer {
  if (!Array.isArray(schedulers)) throw new TypeError(`${name}: schedulers must be a list of schedulers`);
  if (schedulers.length < 1) throw new Error(`${name} expects at least one scheduler${empty}, but got no scheduler.`);
  const owner = optimizer ?? schedulers[0].optimizer;
  schedulers.forEach((scheduler, i) => {
    if (scheduler === null || typeof scheduler !== 'object' || !('optimizer' in scheduler)) {
      throw new TypeError(`${name} at index ${i} should have \`optimizer\` as its attribute.`);
    }
    if (scheduler instanceof ReduceLROnPlateau) {
      throw new Error(`${name} does not support \`ReduceLROnPlateau\` scheduler as it requires additional kwargs to be specified `
        + `when calling \`step\`, but got one at index ${i} in the given schedulers sequence.`);
    }
    if (scheduler.optimizer !== owner) {
      throw new Error(`${name} expects all schedulers to belong to the same optimizer, but got scheduler `
        + `${scheduler.constructor.name} at index ${i} has a different optimizer than ${owner?.constructor?.name}.`);
    }
  });
  return owner;
}

/** Saves each inner scheduler's state in _schedulers, as PyTorch does. */
abstract class SchedulerOfSchedulers extends LRScheduler {
  protected _schedulers: LRScheduler[] = [];

  /** Not a schedule of its own: the inner schedulers set the rates. */
  getLr(): number[] {
    return this.currentLrs();
  }

  override stateDict(): Record<string, unknown> {
    const { _schedulers: _inner, ...rest } = super.stateDict();
    return { ...rest, _schedulers: this._schedulers.map((s) => s.stateDict()) };
  }

  override loadStateDict(stateDict: Record<string, unknown>): void {
    const { _schedulers: inner, ...rest } = stateDict;
    super.loadStateDict(rest);
    (inner as Record<string, unknown>[]).forEach((s, i) => this._schedulers[i].loadStateDict(s));
  }
}

/**
 * Runs schedulers one after another: schedulers[i + 1] takes over at epoch milestones[i],
 * starting from its own epoch 0.
 */
export class SequentialLR extends SchedulerOfSchedulers {
  protected _milestones: number[];

  constructor(optimizer: AnyOptimizer, schedulers: LRScheduler[], milestones: number[], options?: { lastEpoch?: number });
  constructor(optimizer: AnyOptimizer, options: { schedulers: LRScheduler[]; milestones: number[]; lastEpoch?: number });
  constructor(optimizer: AnyOptimizer, schedulers: LRScheduler[] | { schedulers: LRScheduler[]; milestones: number[]; lastEpoch?: number },
    milestones?: number[], options: { lastEpoch?: number } = {}) {
    if (schedulers !== null && typeof schedulers === 'object' && !Array.isArray(schedulers)) {
      ({ schedulers, milestones, ...options } = schedulers);
    }
    const list = schedulers as LRScheduler[];
    checkSchedulers('SequentialLR', optimizer, list, '');
    if (!Array.isArray(milestones) || milestones.length !== list.length - 1) {
      throw new Error('Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone '
        + `points, but got number of schedulers ${list.length} and the number of milestones to be equal to ${Array.isArray(milestones) ? milestones.length : String(milestones)}`);
    }
    super(optimizer, -1);
    this._schedulers = [...list];
    this._milestones = [...milestones];
    this.lastEpoch = (options.lastEpoch ?? -1) + 1;
    for (const group of this.groups()) group.lr = group.initialLr!;
    this.recursiveUndo(this);
    (this._schedulers[0] as unknown as SchedulerInternals).initialStep();
    this._lastLr = this._schedulers[0].getLastLr();
  }

  /** Takes back the step each scheduler's constructor took. */
  private recursiveUndo(scheduler: LRScheduler): void {
    const inner = (scheduler as unknown as SchedulerInternals)._schedulers;
    if (inner !== undefined) {
      for (const s of inner) this.recursiveUndo(s);
    } else {
      scheduler.lastEpoch -= 1;
    }
  }

  override step(): void {
    this.lastEpoch += 1;
    const idx = this._milestones.filter((m) => m <= this.lastEpoch).length; // bisect_right
    const scheduler = this._schedulers[idx];
    // At its milestone a scheduler starts over at its epoch 0 (its closed form).
    if (idx > 0 && this._milestones[idx - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this._lastLr = scheduler.getLastLr();
  }
}

/** Steps all its schedulers at every step, so their effects on the rates compose. */
export class ChainedScheduler extends SchedulerOfSchedulers {
  constructor(schedulers: LRScheduler[], optimizer?: AnyOptimizer) {
    super(checkSchedulers('ChainedScheduler', optimizer, schedulers, ' to be chained'), -1);
    this._schedulers = [...schedulers];
    this._lastLr = this._schedulers[this._schedulers.length - 1].optimizer.paramGroups.map((g) => g.lr as number);
  }

  override step(): void {
    for (const scheduler of this._schedulers) scheduler.step();
    this._lastLr = this._schedulers[this._schedulers.length - 1].optimizer.paramGroups.map((g) => g.lr as number);
  }
}
