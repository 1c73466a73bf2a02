// Callbacks: objects with any of Keras's hooks, called by Trainer.fit. Epochs and batches are
// numbered from 0, as in Keras; logs hold the epoch's (or the running) means by history key.
import type { Trainer } from './trainer';
import { LRScheduler, OneCycleLR, ReduceLROnPlateau } from '../../optim/lr-scheduler';

export type Logs = Record<string, number>;

/** Every hook is optional; a plain object literal is a Callback. */
export interface Callback {
  /** Called by fit before training starts, with the Trainer (its model, optimizer, stopTraining). */
  setTrainer?(trainer: Trainer): void;
  onTrainBegin?(logs: Logs): void;
  onTrainEnd?(logs: Logs): void;
  onEpochBegin?(epoch: number, logs: Logs): void;
  /** logs: loss and metrics of the epoch, valLoss and val* metrics when there is validation data. */
  onEpochEnd?(epoch: number, logs: Logs): void;
  onBatchBegin?(batch: number, logs: Logs): void;
  /** logs: the running means of loss and metrics over the epoch so far. */
  onBatchEnd?(batch: number, logs: Logs): void;
}

/** Keras's LambdaCallback: the hooks given, nothing else. */
export class LambdaCallback implements Callback {
  constructor(hooks: Omit<Callback, 'setTrainer'>) {
    Object.assign(this, hooks);
  }
}

export interface LearningRateSchedulerOptions {
  /** 'epoch' (the default) or 'batch' (the default for OneCycleLR, which PyTorch steps per batch). */
  interval?: 'epoch' | 'batch';
  /** The log ReduceLROnPlateau watches: 'valLoss' when validating, else 'loss'. */
  monitor?: string;
}

/**
 * Steps a torch.optim.lrScheduler scheduler during fit, and logs `lr` (the first group's rate
 * used during the epoch). A scheduler placed directly in fit's callbacks is wrapped in one.
 */
export class LearningRateScheduler implements Callback {
  readonly interval: 'epoch' | 'batch';
  private epochLr = 0;

  constructor(readonly scheduler: LRScheduler, private readonly options: LearningRateSchedulerOptions = {}) {
    if (!(scheduler instanceof LRScheduler)) throw new TypeError('LearningRateScheduler: expected a torch.optim.lrScheduler scheduler');
    this.interval = options.interval ?? (scheduler instanceof OneCycleLR ? 'batch' : 'epoch');
    if (this.interval === 'batch' && scheduler instanceof ReduceLROnPlateau) {
      throw new Error('LearningRateScheduler: ReduceLROnPlateau steps on an epoch metric, not per batch');
    }
  }

  onEpochBegin(): void {
    this.epochLr = this.scheduler.optimizer.paramGroups[0].lr as number;
  }

  onBatchEnd(): void {
    if (this.interval === 'batch') this.scheduler.step();
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    logs.lr = this.epochLr;
    if (this.interval !== 'epoch') return;
    if (this.scheduler instanceof ReduceLROnPlateau) {
      const monitor = this.options.monitor ?? ('valLoss' in logs ? 'valLoss' : 'loss');
      this.scheduler.step(monitorValue(logs, monitor, 'LearningRateScheduler'));
    } else {
      this.scheduler.step();
    }
  }
}

/** logs[monitor], or an Error naming the keys there are. */
export function monitorValue(logs: Logs, monitor: string, who: string): number {
  const value = logs[monitor];
  if (typeof value === 'number') return value;
  const camel = monitor.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const hint = camel !== monitor && camel in logs ? ` (did you mean '${camel}'?)` : '';
  throw new Error(`${who}: monitor '${monitor}' is not in the logs${hint}; there are ${Object.keys(logs).map((k) => `'${k}'`).join(', ')}`);
}

/** The callbacks fit was given, with schedulers wrapped, called in order. */
export class CallbackList {
  readonly callbacks: Callback[];

  constructor(callbacks: (Callback | LRScheduler)[], trainer: Trainer) {
    if (!Array.isArray(callbacks)) throw new TypeError(`fit(): expected callbacks to be an array, got ${typeof callbacks}`);
    this.callbacks = callbacks.map((c) => (c instanceof LRScheduler ? new LearningRateScheduler(c) : c));
    for (const c of this.callbacks) {
      if (c === null || typeof c !== 'object') throw new TypeError(`fit(): expected each callback to be an object, got ${c === null ? 'null' : typeof c}`);
      c.setTrainer?.(trainer);
    }
  }

  trainBegin(logs: Logs): void { for (const c of this.callbacks) c.onTrainBegin?.(logs); }
  trainEnd(logs: Logs): void { for (const c of this.callbacks) c.onTrainEnd?.(logs); }
  epochBegin(epoch: number, logs: Logs): void { for (const c of this.callbacks) c.onEpochBegin?.(epoch, logs); }
  epochEnd(epoch: number, logs: Logs): void { for (const c of this.callbacks) c.onEpochEnd?.(epoch, logs); }
  batchBegin(batch: number, logs: Logs): void { for (const c of this.callbacks) c.onBatchBegin?.(batch, logs); }
  batchEnd(batch: number, logs: Logs): void { for (const c of this.callbacks) c.onBatchEnd?.(batch, logs); }
}
