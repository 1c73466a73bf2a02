// Progress bars for the examples' training loops: a thin wrapper over cli-progress.
//   const bar = progress(epochs, 'sine');
//   for (...) { ...; bar.tick({ loss: loss.item() }); }
//   bar.stop();
// The bar is drawn on stderr only when both stdout and stderr are terminals and --quick is not
// given; otherwise nothing is drawn and stop() prints one summary line, so logs stay readable.
import cliProgress from 'cli-progress';

const interactive = Boolean(process.stdout.isTTY && process.stderr.isTTY) && !process.argv.includes('--quick');

function formatValues(values) {
  return Object.entries(values)
    .map(([name, v]) => `${name} ${typeof v === 'number' ? (Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(2)) : v}`)
    .join('  ');
}

/** A progress bar for `total` steps; tick(values) advances one step and shows the values (e.g. { loss }). */
export function progress(total, label) {
  const start = performance.now();
  let done = 0;
  let last = {};
  const rate = () => done / Math.max((performance.now() - start) / 1000, 1e-9);
  const bar = interactive
    ? new cliProgress.SingleBar(
        {
          format: `${label} [{bar}] {value}/{total} | {metrics} | {rate} it/s | ETA {eta_formatted}`,
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(total, 0, { metrics: '', rate: '0.0' });

  return {
    tick(values = {}) {
      done++;
      last = values;
      bar?.increment(1, { metrics: formatValues(values), rate: rate().toFixed(1) });
    },
    stop() {
      if (bar) {
        bar.stop();
        return;
      }
      const seconds = (performance.now() - start) / 1000;
      const metrics = formatValues(last);
      console.log(`${label}: ${done} it in ${seconds.toFixed(1)}s (${rate().toFixed(1)} it/s)${metrics ? `, ${metrics}` : ''}`);
    },
  };
}
