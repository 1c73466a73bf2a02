// The LSTM and optimizer examples, run as a user runs them (`node examples/<name>.mjs --quick
// --out <dir>`): they exit 0, print finite metrics in the range a quick run reaches, and write
// real PNG charts. The examples import 'torch-node', i.e. dist/, which `npm test` builds first
// (pretest). The charts need
// the dev dependencies vega, vega-lite, @resvg/resvg-js and pngjs: without them (the GPU
// machine's packed tree) the tests skip and say why.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PNG as PNGType } from 'pngjs';

const root = path.resolve(__dirname, '..');
const missing = ['vega', 'vega-lite', '@resvg/resvg-js', 'pngjs', 'cli-progress']
  .filter((name) => !fs.existsSync(path.join(root, 'node_modules', name, 'package.json')));
if (missing.length > 0) console.log(`example tests skipped: ${missing.join(', ')} not installed`);

// `npm test` builds dist/ first (pretest); a test building it would race with the others.
function ensureDist(): void {
  const entry = path.join(root, 'dist/esm/index.mjs');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run npm run build:ts (npm test does it first)`);
}

/** Runs an example in quick mode into a fresh folder; returns its stdout and the folder. */
function runExample(name: string): { stdout: string; out: string } {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), `torch-node-${name}-`));
  const r = spawnSync(process.execPath, [path.join(root, 'examples', `${name}.mjs`), '--quick', '--out', out], {
    cwd: root, encoding: 'utf8', timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`examples/${name}.mjs exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return { stdout: r.stdout, out };
}

/** The number after `after` (default: the label itself) on the line starting with `label`. */
function metric(stdout: string, label: string, after = label): number {
  const line = stdout.split('\n').find((l) => l.startsWith(label));
  expect(line, `a line starting with "${label}" in:\n${stdout}`).toBeDefined();
  const at = line!.indexOf(after, line!.startsWith(after) ? 0 : label.length);
  expect(at, `"${after}" in "${line}"`).toBeGreaterThanOrEqual(0);
  const value = Number.parseFloat(line!.slice(at + after.length).trim());
  expect(Number.isFinite(value), `a number after "${after}" in "${line}"`).toBe(true);
  return value;
}

function expectPng(file: string): void {
  expect(fs.existsSync(file), file).toBe(true);
  const { PNG } = createRequire(__filename)('pngjs') as { PNG: typeof PNGType };
  const png = PNG.sync.read(fs.readFileSync(file));
  expect(png.width).toBeGreaterThan(400);
  expect(png.height).toBeGreaterThan(200);
  // A chart, not a blank page: many pixels differ from the white background.
  let inked = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i] < 200 || png.data[i + 1] < 200 || png.data[i + 2] < 200) inked++;
  expect(inked / (png.width * png.height)).toBeGreaterThan(0.01);
}

describe.skipIf(missing.length > 0)('examples', () => {
  beforeAll(ensureDist, 180_000);

  describe('examples/lstm.mjs --quick', () => {
    it('predicts the noisy sine and the passengers series, and draws both', () => {
      const { stdout, out } = runExample('lstm');
      // Both must beat repeating the last value. The sine's noise has variance 0.01, a floor no
      // predictor beats; quick mode reaches ~0.017 against ~0.021 for repeating.
      const sine = metric(stdout, 'sine: test MSE');
      expect(sine).toBeGreaterThan(0.01);
      expect(sine).toBeLessThan(metric(stdout, 'sine: test MSE', 'repeating the last value:'));
      // Scaled to [0, 1] on the training months; quick mode reaches ~0.003 against ~0.010.
      const passengers = metric(stdout, 'passengers: test MSE');
      expect(passengers).toBeGreaterThan(0);
      expect(passengers).toBeLessThan(0.6 * metric(stdout, 'passengers: test MSE', 'repeating the last value:'));
      expectPng(path.join(out, 'lstm-sine.png'));
      expectPng(path.join(out, 'lstm-passengers.png'));
      fs.rmSync(out, { recursive: true, force: true });
    }, 120_000);
  });

  describe('examples/optimizers.mjs --quick', () => {
    it('trains eight optimizer/dropout runs, prints the table and draws the loss curves', () => {
      const { stdout, out } = runExample('optimizers');
      // Table rows: name, final training loss, validation loss, validation accuracy %, seconds.
      const rows = new Map(stdout.split('\n').flatMap((line) => {
        const m = /^(.+?)\s+(\d+\.\d{4})\s+(\d+\.\d{4})\s+(\d+\.\d)%\s+(\d+\.\d)s$/.exec(line);
        return m ? [[m[1], m.slice(2).map(Number)] as const] : [];
      }));
      const names = ['SGD', 'SGD+momentum', 'Adam', 'AdamW'].flatMap((n) => [n, `${n} + dropout`]);
      expect([...rows.keys()]).toEqual(names);
      const majority = metric(stdout, 'majority class:');
      expect(majority).toBeGreaterThanOrEqual(50);
      for (const name of names) {
        const [trainLoss, valLoss, valAccuracy, seconds] = rows.get(name)!;
        // Cross-entropy of two classes starts near ln 2 = 0.693; every run learns something.
        expect(trainLoss).toBeGreaterThan(0);
        expect(trainLoss).toBeLessThan(0.69);
        expect(valLoss).toBeGreaterThan(0.3);
        expect(valLoss).toBeLessThan(0.8);
        // Better than always guessing the majority class (~53%), below the 90% ceiling of the
        // flipped labels; quick mode reaches 58% to 69%.
        expect(valAccuracy).toBeGreaterThan(majority + 3);
        expect(valAccuracy).toBeLessThan(90);
        expect(seconds).toBeGreaterThanOrEqual(0);
      }
      expect(stdout).toMatch(/^best validation accuracy: /m);
      expectPng(path.join(out, 'optimizers-train-loss.png'));
      expectPng(path.join(out, 'optimizers-val-loss.png'));
      fs.rmSync(out, { recursive: true, force: true });
    }, 120_000);
  });
});
