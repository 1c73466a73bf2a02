// The vision examples: examples/support/images.mjs against torchvision's make_grid/save_image
// (fixtures/images-golden.py), and examples/cnn.mjs / gan.mjs run as child processes in their
// short modes. The examples import 'torch-node', i.e. dist/: `npm run build:ts` first (CI's
// `npm run example` does).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const distEntry = path.join(root, 'dist', 'cjs', 'utils', 'data', 'datasets.js');
const run = promisify(execFile);
let out: string;

beforeAll(() => {
  if (!fs.existsSync(distEntry)) throw new Error(`${distEntry} is missing: run npm run build:ts before these tests`);
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-vision-'));
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

/** Runs an example to its end; one intra-op thread, as test files run side by side. */
async function example(file: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [path.join('examples', file), ...args, '--out', out], {
    cwd: root, timeout: 240_000, env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  return stdout;
}

function png(name: string): PNG {
  return PNG.sync.read(fs.readFileSync(path.join(out, name)));
}

const numbers = (text: string, pattern: RegExp): number[] => {
  const m = pattern.exec(text);
  expect(m, `${pattern} in:\n${text}`).not.toBeNull();
  return m!.slice(1).map(Number);
};

describe('examples/support/images.mjs', () => {
  interface Case { shape: number[]; options: { nrow: number; padding: number; pad_value: number }; grid: number[][][]; pixels: number[][][] }
  const cases: Case[] = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'images-golden.json'), 'utf8'));

  // In a child process, as the examples run: vitest's module loader does not see dist's
  // CommonJS exports through its ESM entry.
  const script = `
    import * as torch from 'torch-node';
    import { makeGrid, saveImageGrid } from './examples/support/images.mjs';
    const [cases, out] = JSON.parse(process.argv[1]);
    console.log(JSON.stringify(cases.map(({ shape, options }, i) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const images = torch.arange(n, { dtype: torch.float32 }).reshape(shape).div(n - 1);
      const opts = { nrow: options.nrow, padding: options.padding, padValue: options.pad_value };
      saveImageGrid(out + '/grid/' + i + '.png', images, opts);
      return makeGrid(images, opts).tolist();
    })));`;

  it('makeGrid and saveImageGrid match torchvision\'s make_grid and save_image', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, JSON.stringify([cases, out])], { cwd: root });
    const grids: number[][][][] = JSON.parse(stdout);
    cases.forEach(({ grid, pixels }, i) => {
      expect(grids[i].length).toBe(3);
      expect(grids[i][0].length).toBe(grid[0].length);
      expect(grids[i][0][0].length).toBe(grid[0][0].length);
      grids[i].flat(2).forEach((v, j) => expect(v).toBeCloseTo(grid.flat(2)[j], 6));
      const decoded = png(`grid/${i}.png`);
      expect([decoded.height, decoded.width]).toEqual([pixels.length, pixels[0].length]);
      expect([...decoded.data].filter((_, k) => k % 4 !== 3)).toEqual(pixels.flat(2));
      expect([...decoded.data].filter((_, k) => k % 4 === 3).every((alpha) => alpha === 255)).toBe(true);
    });
  });
});

describe('examples/cnn.mjs and gan.mjs', () => {
  it('cnn --quick trains, reports a test accuracy, writes the prediction grid and loss chart', async () => {
    const stdout = await example('cnn.mjs', '--quick');
    const [trainLoss, testLoss, epochAccuracy] = numbers(stdout, /epoch 1: train loss ([\d.]+), test loss ([\d.]+), test accuracy ([\d.]+)%/);
    expect(trainLoss).toBeGreaterThan(0);
    expect(trainLoss).toBeLessThan(1.5); // untrained: ln(10) = 2.3
    expect(testLoss).toBeLessThan(1.5);
    const [accuracy] = numbers(stdout, /test accuracy: ([\d.]+)% on 1000 MNIST test images/);
    expect(accuracy).toBe(epochAccuracy);
    expect(accuracy).toBeGreaterThan(70); // 4000 images, 1 epoch: ~88%; chance: 10%
    expect(accuracy).toBeLessThanOrEqual(100);
    const grid = png('cnn-predictions.png'); // 8 x 4 cells of 28*3+8 by 28*3+14+12 pixels
    expect([grid.width, grid.height]).toEqual([8 * 92, 4 * 110]);
    expect([...grid.data.subarray(0, 4)]).toEqual([255, 255, 255, 255]); // white background
    const chart = png('cnn-loss.png');
    expect(chart.width).toBeGreaterThan(600);
    expect(chart.height).toBeGreaterThan(300);
  }, 300_000);

  it('gan --generator-only runs the seed\'s Generator: shape [64, 784], ReLU output, one grid', async () => {
    const stdout = await example('gan.mjs', '--generator-only');
    const [lo, hi] = numbers(stdout, /output shape: \[64, 784\], values in \[([\d.]+), ([\d.]+)\]/);
    expect(lo).toBe(0); // ReLU
    expect(hi).toBeGreaterThan(0);
    const grid = png('gan-generator-only.png'); // 8 x 8 images of 28 with 2-pixel padding
    expect([grid.width, grid.height]).toEqual([242, 242]);
    expect([...grid.data.subarray(0, 4)]).toEqual([0, 0, 0, 255]);
  }, 120_000);

  it('gan --quick trains an epoch, prints D and G losses, writes its grid and loss chart', async () => {
    const stdout = await example('gan.mjs', '--quick');
    const [d, g, dReal, dFake] = numbers(stdout, /epoch 1: D loss ([\d.]+), G loss ([\d.]+), D\(x\) ([\d.]+), D\(G\(z\)\) ([\d.]+)/);
    // Early on D learns fast: its loss falls below 2 ln 2 (chance) and it scores real above fake.
    expect(d).toBeGreaterThan(0.05);
    expect(d).toBeLessThan(1.39);
    expect(g).toBeGreaterThan(0.05);
    expect(g).toBeLessThan(5);
    expect(dReal).toBeGreaterThan(dFake);
    expect(dReal).toBeLessThanOrEqual(1);
    expect(dFake).toBeGreaterThanOrEqual(0);
    const grid = png('gan-epoch-01.png');
    expect([grid.width, grid.height]).toEqual([242, 242]);
    const chart = png('gan-loss.png');
    expect(chart.width).toBeGreaterThan(600);
  }, 300_000);

  it('gan --quick --amp trains under autocast (bfloat16 on the CPU) as well', async () => {
    const stdout = await example('gan.mjs', '--quick', '--amp');
    expect(stdout).toMatch(/batch 128, on (cpu|cuda), with autocast/);
    const [d, , dReal, dFake] = numbers(stdout, /epoch 1: D loss ([\d.]+), G loss ([\d.]+), D\(x\) ([\d.]+), D\(G\(z\)\) ([\d.]+)/);
    expect(d).toBeLessThan(1.39);
    expect(dReal).toBeGreaterThan(dFake);
  }, 300_000);

  const fashion = fs.existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz');
  if (!fashion) console.log('cnn --fashion test skipped: apt-get install dataset-fashion-mnist');
  // With --amp too: on the CPU, autocast to bfloat16 (the scaler stays off), as PyTorch's AMP recipe.
  it.skipIf(!fashion)('cnn --quick --fashion --amp trains on Fashion-MNIST in mixed precision', async () => {
    const stdout = await example('cnn.mjs', '--quick', '--fashion', '--amp');
    expect(stdout).toMatch(/on (cpu, autocast to bfloat16|cuda, autocast to float16)/);
    const [accuracy] = numbers(stdout, /test accuracy: ([\d.]+)% on 1000 Fashion-MNIST test images/);
    expect(accuracy).toBeGreaterThan(55); // ~75% after 4000 images; chance: 10%
    expect(png('cnn-predictions.png').width).toBe(8 * 130); // wider cells for the class names
  }, 300_000);
});
