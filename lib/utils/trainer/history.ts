// History: what fit returns, Keras's History callback. history[key][i] is the value of a log
// (loss, each metric, valLoss, val + metric, lr with a scheduler) at the end of epoch epoch[i].
import type { Callback, Logs } from './callbacks';

export type HistoryRecord = { loss: number[] } & Record<string, number[]>;

export interface FitParams {
  epochs: number;
  /** Batches per epoch (null when the data is an iterable of unknown length). */
  steps: number | null;
  verbose: number;
}

export class History implements Callback {
  readonly history: HistoryRecord = { loss: [] };
  /** The epochs recorded (from 0; from initialEpoch when fit was given one). */
  readonly epoch: number[] = [];

  constructor(readonly params: FitParams) {}

  onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}
