// Keras's TensorBoard callback: every epoch's logs (loss, metrics, valLoss, ...) as scalars,
// training and validation side by side as Keras lays them out (`epoch_loss` in the `train`
// and `validation` runs under logDir).
import path from 'node:path';
import type { Callback, Logs } from './callbacks';
import { SummaryWriter } from '../tensorboard/writer';

export interface TensorBoardOptions {
  /** Also log the running means every `updateFreq` batches (Keras's update_freq); default off. */
  updateFreq?: number;
}

export class TensorBoard implements Callback {
  private readonly train: SummaryWriter;
  private readonly validation: SummaryWriter;
  private batches = 0;

  constructor(readonly logDir = 'logs', private readonly options: TensorBoardOptions = {}) {
    this.train = new SummaryWriter(path.join(logDir, 'train'));
    this.validation = new SummaryWriter(path.join(logDir, 'validation'));
  }

  onBatchEnd(_batch: number, logs: Logs): void {
    this.batches++;
    const every = this.options.updateFreq;
    if (every && this.batches % every === 0) {
      for (const [key, value] of Object.entries(logs)) this.train.addScalar(`batch_${key}`, value, this.batches);
    }
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    for (const [key, value] of Object.entries(logs)) {
      const validation = /^val[A-Z]/.test(key);
      const name = validation ? key[3].toLowerCase() + key.slice(4) : key;
      (validation ? this.validation : this.train).addScalar(`epoch_${name}`, value, epoch);
    }
    this.train.flush();
    this.validation.flush();
  }

  onTrainEnd(): void {
    this.train.close();
    this.validation.close();
  }
}
