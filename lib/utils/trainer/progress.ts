// Keras-style output of fit: one line per epoch (verbose 1 or 2), and with verbose 1 on a
// terminal, a progress bar over the epoch's batches (cli-progress, on stderr).
import type { Callback, Logs } from './callbacks';

interface Bar {
  start(total: number, value: number, payload: object): void;
  update(value: number, payload: object): void;
  stop(): void;
}

/** Keras's number format: 4 decimals, or 4 significant digits in exponent form below 1e-3. */
export function formatValue(value: number): string {
  return Math.abs(value) > 1e-3 || value === 0 ? value.toFixed(4) : value.toExponential(4);
}

export function formatLogs(logs: Logs): string {
  return Object.entries(logs).map(([k, v]) => `${k}: ${formatValue(v)}`).join(' - ');
}

function formatTime(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

export class ProgressLogger implements Callback {
  private bar: Bar | null = null;
  private started = 0;

  constructor(private readonly epochs: number, private readonly steps: number | null, private readonly verbose: number) {}

  onEpochBegin(epoch: number): void {
    this.started = performance.now();
    if (this.verbose !== 1 || this.steps === null || !process.stderr.isTTY) return;
    // Loaded only when drawn: a training run in a log file or a test never needs it.
    const cliProgress = require('cli-progress');
    this.bar = new cliProgress.SingleBar({
      format: `Epoch ${epoch + 1}/${this.epochs} {bar} {value}/{total} {logs}`,
      clearOnComplete: true,
      hideCursor: true,
    }, cliProgress.Presets.shades_classic) as Bar;
    this.bar.start(this.steps, 0, { logs: '' });
  }

  onBatchEnd(batch: number, logs: Logs): void {
    this.bar?.update(batch + 1, { logs: formatLogs(logs) });
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    this.stop();
    if (this.verbose === 0) return;
    const time = formatTime(performance.now() - this.started);
    console.log(`Epoch ${epoch + 1}/${this.epochs} - ${time} - ${formatLogs(logs)}`);
  }

  /** Takes the bar off the terminal (fit calls it when training ends, normally or not). */
  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
