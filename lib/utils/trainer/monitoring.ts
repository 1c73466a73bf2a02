// Callbacks that watch a logged value: EarlyStopping and ModelCheckpoint, with Keras 3's rules
// (checked against Keras in tests/fixtures/trainer-golden.py). Mode 'auto' maximizes accuracy
// and minimizes losses and errors; for other names it asks for a mode, as Keras does.
import type { Tensor } from '../../tensor';
import type { StateDict } from '../../nn/module';
import { keep } from '../../scope';
import { save } from '../../serialization';
import type { Trainer } from './trainer';
import { monitorValue, type Callback, type Logs } from './callbacks';

export type MonitorMode = 'auto' | 'min' | 'max';

/** True when `current` beats `best` by more than minDelta in the monitored direction. */
function improves(mode: 'min' | 'max', current: number, best: number, minDelta: number): boolean {
  return mode === 'min' ? current + minDelta < best : current - minDelta > best;
}

function direction(mode: MonitorMode | undefined, monitor: string, who: string): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  if (mode !== undefined && mode !== 'auto') throw new Error(`${who}: expected mode 'auto', 'min' or 'max', got '${String(mode)}'`);
  if (/acc|auc|precision|recall/i.test(monitor)) return 'max';
  if (/loss|mae|mse|error|crossentropy/i.test(monitor)) return 'min';
  throw new Error(`${who}: cannot tell whether '${monitor}' should be minimized or maximized; pass mode: 'min' or 'max'`);
}

/** A copy of the weights that later steps (and torch.tidy scopes) do not touch. */
function snapshot(trainer: Trainer): StateDict {
  return Object.fromEntries(Object.entries(trainer.model.stateDict()).map(([k, v]) => [k, keep(v.detach().clone())]));
}

const disposeAll = (weights: StateDict | null) => Object.values(weights ?? {}).forEach((t: Tensor) => t.dispose());

export interface EarlyStoppingOptions {
  /** The log to watch (default 'valLoss'). */
  monitor?: string;
  /** A change smaller than this is no improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  mode?: MonitorMode;
  /** Training stops unless the value beats this too. */
  baseline?: number;
  /** At the end of training, load the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to train before watching (default 0). */
  startFromEpoch?: number;
  verbose?: boolean;
}

/** Stops fit when `monitor` has not improved for `patience` epochs (Keras 3's EarlyStopping). */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly patience: number;
  readonly minDelta: number;
  readonly mode: 'min' | 'max';
  wait = 0;
  /** The epoch training stopped at (0 when it did not stop early). */
  stoppedEpoch = 0;
  best = Infinity;
  bestEpoch = 0;
  bestWeights: StateDict | null = null;
  private trainer!: Trainer;

  constructor(private readonly options: EarlyStoppingOptions = {}) {
    this.monitor = options.monitor ?? 'valLoss';
    this.patience = options.patience ?? 0;
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.mode = direction(options.mode, this.monitor, 'EarlyStopping');
  }

  setTrainer(trainer: Trainer): void { this.trainer = trainer; }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.bestEpoch = 0;
    disposeAll(this.bestWeights);
    this.bestWeights = null;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const current = monitorValue(logs, this.monitor, 'EarlyStopping');
    if (epoch < (this.options.startFromEpoch ?? 0)) return;
    const restore = this.options.restoreBestWeights ?? false;
    if (restore && this.bestWeights === null) {
      this.bestWeights = snapshot(this.trainer);
      this.bestEpoch = epoch;
    }
    this.wait++;
    if (improves(this.mode, current, this.best, this.minDelta)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (restore) {
        disposeAll(this.bestWeights);
        this.bestWeights = snapshot(this.trainer);
      }
      const { baseline } = this.options;
      if (baseline === undefined || improves(this.mode, current, baseline, this.minDelta)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.trainer.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    const verbose = this.options.verbose ?? false;
    if (this.stoppedEpoch > 0 && verbose) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.bestWeights !== null) {
      if (verbose) console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.trainer.model.loadStateDict(this.bestWeights);
      disposeAll(this.bestWeights);
      this.bestWeights = null;
    }
  }
}

export interface ModelCheckpointOptions {
  /** The log saveBestOnly watches (default 'valLoss'). */
  monitor?: string;
  /** Write only when `monitor` improves (default false: every epoch). */
  saveBestOnly?: boolean;
  mode?: MonitorMode;
  verbose?: boolean;
}

/**
 * Writes model.stateDict() with torch.save (Python's format) at the end of epochs. `filepath`
 * may hold `{epoch}` (from 1) and log keys with a format: 'ckpt-{epoch}-{valLoss:.4f}.pt'.
 */
export class ModelCheckpoint implements Callback {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  best: number;
  private trainer!: Trainer;

  constructor(readonly filepath: string, private readonly options: ModelCheckpointOptions = {}) {
    if (typeof filepath !== 'string' || filepath === '') throw new TypeError('ModelCheckpoint: expected a file path');
    this.monitor = options.monitor ?? 'valLoss';
    this.mode = direction(options.mode, this.monitor, 'ModelCheckpoint');
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  setTrainer(trainer: Trainer): void { this.trainer = trainer; }

  onEpochEnd(epoch: number, logs: Logs): void {
    if (this.options.saveBestOnly) {
      const current = monitorValue(logs, this.monitor, 'ModelCheckpoint');
      if (!improves(this.mode, current, this.best, 0)) return;
      this.best = current;
    }
    const file = this.filepath.replace(/\{(\w+)(?::\.(\d+)f)?\}/g, (whole, key: string, digits?: string) => {
      const value = key === 'epoch' ? epoch + 1 : logs[key];
      if (value === undefined) throw new Error(`ModelCheckpoint: '${whole}' in the file path names no log`);
      return digits === undefined ? String(value) : value.toFixed(Number(digits));
    });
    save(this.trainer.model.stateDict(), file);
    if (this.options.verbose) console.log(`Epoch ${epoch + 1}: saved the model to ${file}`);
  }
}
