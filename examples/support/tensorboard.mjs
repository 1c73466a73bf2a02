// `--logdir DIR` on any example: its metrics as TensorBoard event files written by
// torch.utils.tensorboard.SummaryWriter into DIR/<run> (view with `tensorboard --logdir DIR`).
// Without the flag, a writer that does nothing, so the examples log unconditionally.
import path from 'node:path';
import * as torch from 'torch-node';

const quiet = { addScalar() {}, addScalars() {}, addImage() {}, addHistogram() {}, addText() {}, flush() {}, close() {} };

/** The SummaryWriter for this run, or a no-op one without `--logdir`. */
export function summaryWriter(run) {
  const i = process.argv.indexOf('--logdir');
  if (i < 0) return quiet;
  const dir = process.argv[i + 1];
  if (!dir || dir.startsWith('--')) throw new Error('--logdir needs a folder: --logdir runs');
  return new torch.utils.tensorboard.SummaryWriter(path.join(dir, run));
}
