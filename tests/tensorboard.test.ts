import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as torch from '../lib/index';
import { findPython } from './python';
import { crc32c, decodeRecords, encodeRecord, maskCrc, maskedCrc32c } from '../lib/utils/tensorboard/record';
import { decodeEvent, encodeEvent, type Event } from '../lib/utils/tensorboard/proto';

const tb = torch.utils.tensorboard;
// pngjs ships no type declarations.
const { PNG } = createRequire(import.meta.url)('pngjs') as { PNG: { sync: { read(png: Buffer): { width: number; height: number; data: Buffer } } } };
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-tensorboard-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let runs = 0;
const newDir = () => path.join(root, `run${runs++}`);
const f64 = (values: number[]) => torch.tensor(values, { dtype: torch.float64 });
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const eventsIn = (file: string): Event[] => decodeRecords(fs.readFileSync(file)).map(decodeEvent);
const eventFiles = (dir: string) => fs.readdirSync(dir).filter((n) => n.startsWith('events.out.tfevents.')).map((n) => path.join(dir, n));

describe('TFRecord framing', () => {
  it('CRC-32C matches the standard check value and RFC 3720 vectors', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
  });

  it('masks CRCs as TensorFlow does (values from tensorboard\'s masked_crc32c)', () => {
    expect(maskCrc(0)).toBe(0xa282ead8);
    expect(maskedCrc32c(Buffer.from('123456789'))).toBe(0xc78ab0e5);
    expect(maskedCrc32c(new Uint8Array(0))).toBe(0xa282ead8);
    const length5 = Buffer.alloc(8);
    length5.writeBigUInt64LE(5n);
    expect(maskedCrc32c(length5)).toBe(0x3e04b2ea);
    // Rotating right by 15 keeps every result an unsigned 32-bit number.
    expect(maskCrc(0xffffffff)).toBe(((0xffffffff + 0xa282ead8) >>> 0));
  });

  it('frames records byte for byte like tensorboard\'s RecordWriter', () => {
    const framed = Buffer.concat([encodeRecord(Buffer.from('hello')), encodeRecord(new Uint8Array(0))]);
    expect(framed.toString('hex')).toBe('0500000000000000eab2043e68656c6c6fbb1f1c19000000000000000029039807d8ea82a2');
    expect(decodeRecords(framed).map((r) => r.toString())).toEqual(['hello', '']);
  });

  it('reading back rejects a flipped bit or a truncated file', () => {
    const framed = Buffer.concat([encodeRecord(Buffer.from('first')), encodeRecord(Buffer.from('second'))]);
    const flippedData = Buffer.from(framed);
    flippedData[14] ^= 1;
    expect(() => decodeRecords(flippedData)).toThrow('data CRC mismatch at byte 0');
    const flippedLength = Buffer.from(framed);
    flippedLength[21 + 2] ^= 1;
    expect(() => decodeRecords(flippedLength)).toThrow('length CRC mismatch at byte 21');
    expect(() => decodeRecords(framed.subarray(0, framed.length - 1))).toThrow('truncated record at byte 21');
  });
});

describe('protobuf messages', () => {
  // Hex of event_pb2.Event(wall_time=1.5, step=3, summary=...).SerializeToString() from PyTorch 2.11's summary functions.
  const at = (summary: torch.utils.tensorboard.Summary): Event => ({ wallTime: 1.5, step: 3, summary });
  it('encode events byte for byte like PyTorch', () => {
    expect(hex(encodeEvent(at(tb.summary.text('note', 'héllo'))))).toBe(
      '09000000000000f83f10032a310a2f0a116e6f74652f746578745f73756d6d61727942100807120412020801420668c3a96c6c6f4a080a060a0474657874');
    // A zero simple_value is still written: it is in a oneof.
    expect(hex(encodeEvent(at(tb.summary.scalar('loss', 0))))).toBe('09000000000000f83f10032a0d0a0b0a046c6f73731500000000');
    expect(hex(encodeEvent(at(tb.summary.scalar('loss', 0.5, { newStyle: true }))))).toBe(
      '09000000000000f83f10032a1f0a1d0a046c6f7373420808012a040000003f4a0b0a090a077363616c617273');
    expect(hex(encodeEvent(at(tb.summary.scalar('loss', torch.tensor([0.5], { dtype: torch.float64 }), { newStyle: true, doublePrecision: true }))))).toBe(
      '09000000000000f83f10032a230a210a046c6f7373420c08023208000000000000e03f4a0b0a090a077363616c617273');
    expect(hex(encodeEvent({ wallTime: 1.5, fileVersion: 'brain.Event:2' }))).toBe('09000000000000f83f1a0d627261696e2e4576656e743a32');
  });

  it('decode what they encode, and refuse a tensor of several values as a scalar', () => {
    const event = decodeEvent(encodeEvent(at(tb.summary.scalar('acc', 0.75))));
    expect(event).toEqual({ wallTime: 1.5, step: 3, summary: { value: [{ tag: 'acc', simpleValue: 0.75 }] } });
    expect(() => tb.summary.scalar('x', torch.ones(2))).toThrow('expected a one-element tensor, got shape [2]');
  });
});

describe('histograms follow PyTorch\'s make_histogram', () => {
  const V = [-3.5, -1, 0, 0, 0.25, 1, 1, 2, 7];
  const stats = { min: -3.5, max: 7, num: 9, sum: 6.75, sumSquares: 68.3125 };
  // Expected values printed by PyTorch 2.11 (torch.utils.tensorboard.summary.make_histogram).
  it('equal-width bins, a constant input, explicit edges and max_bins', () => {
    expect(tb.makeHistogram(f64(V), 4)).toEqual({ ...stats, bucketLimit: [-3.5, -0.875, 1.75, 4.375, 7], bucket: [0, 2, 5, 1, 1] });
    expect(tb.makeHistogram(f64([2, 2, 2]), 3)).toEqual({
      min: 2, max: 2, num: 3, sum: 6, sumSquares: 12, bucketLimit: [1.8333333333333333, 2.1666666666666665], bucket: [0, 3],
    });
    // Values outside explicit edges are dropped from the buckets (not from the statistics).
    expect(tb.makeHistogram(f64(V), [-1, 0, 1, 2, 3])).toEqual({ ...stats, bucketLimit: [-1, 0, 1, 2, 3], bucket: [0, 1, 3, 2, 1] });
    // Empty leading and trailing bins are dropped; one empty bin stays on the left.
    expect(tb.makeHistogram(f64([0.5, 1, 1.5, 2, 2, 3]), [-2, -1, 0, 1, 2, 3, 4, 5])).toEqual({
      min: 0.5, max: 3, num: 6, sum: 10, sumSquares: 20.5, bucketLimit: [0, 1, 2, 3, 4], bucket: [0, 1, 2, 2, 1],
    });
    expect(tb.makeHistogram(f64(V), 10, 3)).toEqual({
      ...stats, bucketLimit: [-3.5, -0.34999999999999964, 2.8000000000000007, 5.950000000000001, 7], bucket: [0, 2, 6, 0, 1],
    });
    const ramp = tb.makeHistogram(torch.arange(30, { dtype: torch.float64 }).mul(0.37).sub(5), 7);
    expect(ramp.bucketLimit).toEqual([-5, -3.467142857142857, -1.9342857142857142, -0.40142857142857125, 1.1314285714285717, 2.6642857142857146, 4.1971428571428575, 5.73]);
    expect(ramp.bucket).toEqual([0, 5, 4, 4, 4, 4, 4, 5]);
    expect(ramp.sum).toBeCloseTo(10.949999999999996, 12);
    expect(ramp.sumSquares).toBeCloseTo(311.67949999999996, 10);
  });

  it('the default "tensorflow" bins', () => {
    const bins = tb.defaultBins();
    expect([bins.length, bins[0], bins[774], bins.at(-1)]).toEqual([1549, -9.920775621859783e+19, 0, 9.920775621859783e+19]);
    const h = tb.makeHistogram(torch.tensor([1, 1.5, 2, 10]));
    expect(h.bucketLimit.slice(0, 3)).toEqual([0.917246389039776, 1.0089710279437536, 1.109868130738129]);
    expect(h.bucketLimit.at(-1)).toBe(10.931904393168884);
    expect(h.bucketLimit.length).toBe(27);
    expect(h.bucket.map((c, i) => (c ? i : -1)).filter((i) => i >= 0)).toEqual([1, 6, 9, 26]);
    expect([h.min, h.max, h.num, h.sum, h.sumSquares]).toEqual([1, 10, 4, 14.5, 107.25]);
  });

  it('errors like PyTorch\'s', () => {
    expect(() => tb.makeHistogram(torch.zeros(0))).toThrow('The input has no element.');
    expect(() => tb.makeHistogram(f64([1, NaN]), 3)).toThrow('is not finite');
    expect(() => tb.makeHistogram(f64([1, 2]), [2, 1])).toThrow('bins must increase monotonically');
    expect(() => tb.makeHistogram(f64([10, 20]), [0, 1, 2])).toThrow('The histogram is empty');
  });
});

describe('images are PNGs of PyTorch\'s pixels', () => {
  const decode = (image: torch.utils.tensorboard.ImageProto) => {
    const png = PNG.sync.read(Buffer.from(image.encodedImageString));
    const channels = image.colorspace;
    // pngjs decodes to RGBA; keep the channels the PNG has.
    const pixels = [...png.data].filter((_, i) => i % 4 < channels);
    return { width: png.width, height: png.height, channels, pixels };
  };

  // Pixels of PIL decoding PyTorch 2.11's summary.image for the same tensors.
  it('CHW floats in [0, 1] scale to bytes', () => {
    const image = tb.makeImage(torch.arange(24, { dtype: torch.float32 }).reshape(3, 2, 4).div(23));
    expect([image.height, image.width, image.colorspace]).toEqual([2, 4, 3]);
    expect(decode(image).pixels).toEqual([0, 88, 177, 11, 99, 188, 22, 110, 199, 33, 121, 210, 44, 133, 221, 55, 144, 232, 66, 155, 243, 77, 166, 255]);
  });

  it('HW uint8 stays as it is, as gray RGB', () => {
    const image = tb.makeImage(torch.arange(6, { dtype: torch.uint8 }).reshape(2, 3).mul(50), 'HW');
    expect(decode(image)).toEqual({ width: 3, height: 2, channels: 3, pixels: [0, 0, 0, 50, 50, 50, 100, 100, 100, 150, 150, 150, 200, 200, 200, 250, 250, 250] });
  });

  // PyTorch's bytes decoded with the same schema as ours, and the same length: the map's
  // entries may come in another order, nothing else may differ.
  it('hparams builds the summaries PyTorch builds', () => {
    const golden = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'hparams-golden.json'), 'utf8'));
    const cases: Record<string, ReturnType<typeof tb.summary.hparams>> = {
      mixed: tb.summary.hparams({ lr: 0.1, bsize: 32, optimizer: 'adam', nesterov: true, skip: null },
        { accuracy: 0.9, loss: 0.2 }, { optimizer: ['adam', 'sgd'], bsize: [16, 32] }),
      tensor: tb.summary.hparams({ wd: torch.tensor([0.5]) }, { 'hparam/loss': 1 }),
    };
    for (const [name, summaries] of Object.entries(cases)) {
      const ours = summaries.flatMap((s) => s.value);
      expect(ours.map((v) => [v.tag, v.metadata!.pluginData!.pluginName])).toEqual(golden[name].map((g: { tag: string; plugin: string }) => [g.tag, g.plugin]));
      ours.forEach((v, i) => {
        const theirs = Buffer.from(golden[name][i].content, 'base64');
        const content = v.metadata!.pluginData!.content!;
        expect(tb.decodeHParamsPluginData(content)).toEqual(tb.decodeHParamsPluginData(theirs));
        expect(content.length).toBe(theirs.length);
      });
    }
    expect(() => tb.summary.hparams({ lr: 0.1 }, {}, { lr: ['x'] as never })).toThrow('parameter: hparam_domain_discrete[lr] should be a list of same type as hparam_dict[lr].');
    expect(() => tb.summary.hparams({ lr: [1] as never }, {})).toThrow('value should be one of int, float, str, bool, or torch.Tensor');
    expect(() => tb.summary.hparams(null as never, {})).toThrow('parameter: hparam_dict should be a dictionary, nothing logged.');
  });

  // addImages: PyTorch's make_grid, 8 images a row, the last row padded with black.
  it('NCHW batches become one grid, 8 a row', () => {
    const batch = torch.arange(40, { dtype: torch.float32 }).reshape(10, 1, 2, 2).div(39);
    const gray = [0, 6, 26, 32, 52, 58, 78, 85, 104, 111, 130, 137, 156, 163, 183, 189, 13, 19, 39, 45, 65, 71, 91, 98, 117, 124,
      143, 150, 170, 176, 196, 202, 209, 215, 235, 241, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 222, 228, 248, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(decode(tb.makeImage(batch, 'NCHW'))).toEqual({ width: 16, height: 4, channels: 3, pixels: gray.flatMap((v) => [v, v, v]) });
    const nhwc = torch.arange(36, { dtype: torch.uint8 }).reshape(3, 2, 2, 3).mul(7);
    expect(decode(tb.makeImage(nhwc, 'NHWC'))).toEqual({ width: 6, height: 2, channels: 3, pixels: [0, 7, 14, 21, 28, 35, 84, 91, 98, 105, 112, 119,
      168, 175, 182, 189, 196, 203, 42, 49, 56, 63, 70, 77, 126, 133, 140, 147, 154, 161, 210, 217, 224, 231, 238, 245] });
  });

  it('HWC RGBA floats clip to [0, 255]', () => {
    const rgba = torch.tensor([[-0.5, 0.5], [1.5, 1.0]]).unsqueeze(2).expand(2, 2, 4);
    expect(decode(tb.makeImage(rgba, 'HWC'))).toEqual({ width: 2, height: 2, channels: 4, pixels: [0, 0, 0, 0, 127, 127, 127, 127, 255, 255, 255, 255, 255, 255, 255, 255] });
  });

  it('rejects shapes that do not match the format', () => {
    expect(() => tb.makeImage(torch.zeros(2, 3), 'CHW')).toThrow('size of input tensor and input format are different');
    expect(() => tb.makeImage(torch.zeros(2, 3, 4), 'CHX' as 'CHW')).toThrow("expected dataformats 'CHW', 'HWC', 'HW', 'NCHW' or 'NHWC'");
    expect(() => tb.makeImage(torch.zeros(2, 2, 3, 4), 'NCHW')).toThrow('expected 1 or 3 channels for a batch of images, got 2');
    expect(() => tb.makeImage(torch.zeros(2, 3, 4), 'CHW')).toThrow('expected 1, 3 or 4 channels for an image, got 2');
  });
});

describe('SummaryWriter files', () => {
  it('names the file like TensorBoard and starts it with the file_version event', () => {
    const dir = newDir();
    const writer = new tb.SummaryWriter(dir, { filenameSuffix: '.v2' });
    const name = path.basename(writer.filePath);
    const host = os.hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(name).toMatch(new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\.${host}\\.${process.pid}\\.\\d+\\.v2$`));
    expect(writer.getLogdir()).toBe(dir);
    const [first] = eventsIn(writer.filePath);
    expect(first.fileVersion).toBe('brain.Event:2');
    expect(Math.abs(first.wallTime - Date.now() / 1000)).toBeLessThan(60);
    writer.close();
  });

  it('the default log directory is runs/<date>_<hostname><comment>', () => {
    const when = new Date(2024, 4, 4, 22, 14, 54);
    expect(tb.defaultLogDir('LR_0.1', when)).toBe(path.join('runs', `May04_22-14-54_${os.hostname()}LR_0.1`));
  });

  it('queues records until maxQueue, flush() or close(), and never loses them', () => {
    const writer = new tb.SummaryWriter(newDir(), { maxQueue: 3 });
    const file = writer.filePath;
    writer.addScalar('loss', 1.5, 0);
    writer.addScalar('loss', 1.25, 1);
    expect(eventsIn(file)).toHaveLength(1); // only the file_version event so far
    writer.addScalar('loss', 1, 2); // the third fills the queue
    expect(eventsIn(file)).toHaveLength(4);
    writer.addText('note', 'hi', 3);
    writer.flush();
    expect(eventsIn(file)).toHaveLength(5);
    writer.addScalar('loss', 0.5, 4, 1234.5);
    writer.close();
    writer.close(); // a second close does nothing
    const events = eventsIn(file);
    expect(events.slice(1).map((e) => e.step ?? 0)).toEqual([0, 1, 2, 3, 4]);
    expect(events.at(-1)).toEqual({ wallTime: 1234.5, step: 4, summary: { value: [{ tag: 'loss', simpleValue: 0.5 }] } });
  });

  it('writes every flushSecs from an unref\'d timer', async () => {
    const writer = new tb.SummaryWriter(newDir(), { flushSecs: 0.05 });
    writer.addScalar('x', 1, 0);
    expect(eventsIn(writer.filePath)).toHaveLength(1);
    // Polled rather than slept once: a busy machine may run the timer late.
    for (let waited = 0; waited < 5000 && eventsIn(writer.filePath).length < 2; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(eventsIn(writer.filePath)).toHaveLength(2);
    writer.close();
  });

  it('after close, adding opens a new file (as PyTorch does); using closes at the end of the block', () => {
    const dir = newDir();
    const writer = new tb.SummaryWriter(dir);
    const firstFile = writer.filePath;
    writer.close();
    writer.addScalar('x', 2, 7);
    expect(writer.filePath).not.toBe(firstFile);
    writer.close();
    expect(eventsIn(firstFile)).toHaveLength(1);
    {
      using scoped = new tb.SummaryWriter(dir);
      scoped.addHistogram('w', torch.randn(100), 1, { bins: 5 });
    }
    const files = eventFiles(dir);
    expect(files).toHaveLength(3);
    expect(files.map((f) => eventsIn(f).length).sort()).toEqual([1, 2, 2]);
  });

  it('addScalars writes one run per tag under logDir/<mainTag>_<tag>', () => {
    const dir = newDir();
    const writer = new tb.SummaryWriter(dir);
    writer.addScalars('loss/all', { train: 0.5, val: torch.tensor(0.75) }, 2);
    writer.addScalars('loss/all', { train: 0.25 }, 3);
    writer.close();
    expect(fs.readdirSync(dir).filter((n) => !n.startsWith('events')).sort()).toEqual(['loss_all_train', 'loss_all_val']);
    const train = eventsIn(eventFiles(path.join(dir, 'loss_all_train'))[0]);
    expect(train.slice(1).map((e) => [e.step, e.summary!.value[0].tag, e.summary!.value[0].simpleValue])).toEqual([[2, 'loss/all', 0.5], [3, 'loss/all', 0.25]]);
  });

  it('a process that exits without close() still writes its queued records', () => {
    const dir = newDir();
    const script = path.join(root, 'exit-without-close.ts');
    const entry = path.resolve(__dirname, '../lib/utils/tensorboard/index');
    fs.writeFileSync(script, `import { SummaryWriter } from ${JSON.stringify(entry)};
const writer = new SummaryWriter(process.argv[2]);
for (let i = 0; i < 3; i++) writer.addScalar('x', i, i);
console.log(writer.filePath);
`);
    const viteNode = path.resolve(__dirname, '../node_modules/.bin/vite-node');
    const file = execFileSync(viteNode, [script, dir], { encoding: 'utf8' }).trim().split('\n').at(-1)!;
    expect(eventsIn(file).slice(1).map((e) => e.summary!.value[0].simpleValue)).toEqual([0, 1, 2]);
  });
});

// TensorBoard's own reader, through Python (pip install tensorboard). CI has no tensorboard.
const { python = 'python3', reason } = findPython('tensorboard');
if (reason) console.log(`tensorboard read-back tests skipped: ${reason}`);
// Python's stderr (TensorBoard's log lines) is kept out of the test output; a failure's message includes it.
const readWithTensorBoard = (dir: string) => JSON.parse(execFileSync(python, [path.join(__dirname, 'fixtures', 'tensorboard-read.py'), dir],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));

describe('addEmbedding writes the projector files PyTorch 2.11 writes', () => {
  // Expected contents: the files PyTorch 2.11's add_embedding wrote for the same calls.
  it('points, labels, thumbnails and projector_config.pbtxt', () => {
    const dir = newDir();
    const writer = new tb.SummaryWriter(dir);
    const mat = torch.tensor([[0.1, -2.5, 3.0], [1e-5, 12345678.0, 0.0], [1.0, 2.0, 0.3333]]);
    const img = torch.arange(12, { dtype: torch.float32 }).reshape(3, 1, 2, 2).div(11);
    writer.addEmbedding(mat, [7, 'cat', 2.5], { labelImg: img, tag: 'feat/x' });
    writer.addEmbedding(mat.int(), { metadata: [['a', 1], ['b', 2], ['c', 3]], metadataHeader: ['name', 'n'], globalStep: 3 });
    writer.close();
    const read = (p: string) => fs.readFileSync(path.join(dir, p), 'utf8');
    expect(read('projector_config.pbtxt')).toBe([
      'embeddings {', '  tensor_name: "feat/x:00000"', '  metadata_path: "00000/feat%2fx/metadata.tsv"',
      '  sprite {', '    image_path: "00000/feat%2fx/sprite.png"', '    single_image_dim: 2', '    single_image_dim: 2', '  }',
      '  tensor_path: "00000/feat%2fx/tensors.tsv"', '}',
      'embeddings {', '  tensor_name: "default:00003"', '  metadata_path: "00003/default/metadata.tsv"',
      '  tensor_path: "00003/default/tensors.tsv"', '}', ''].join('\n'));
    expect(read('00000/feat%2fx/tensors.tsv')).toBe('0.10000000149011612\t-2.5\t3.0\n9.999999747378752e-06\t12345678.0\t0.0\n1.0\t2.0\t0.33329999446868896\n');
    expect(read('00000/feat%2fx/metadata.tsv')).toBe('7\ncat\n2.5\n');
    expect(read('00003/default/metadata.tsv')).toBe('name\tn\na\t1\nb\t2\nc\t3\n');
    expect(read('00003/default/tensors.tsv')).toBe('0\t-2\t3\n0\t12345678\t0\n1\t2\t0\n');
    const sprite = PNG.sync.read(fs.readFileSync(path.join(dir, '00000/feat%2fx/sprite.png')));
    expect([sprite.width, sprite.height]).toEqual([4, 4]);
    const red = [...sprite.data].filter((_, i) => i % 4 === 0);
    expect(red).toEqual([0, 23, 92, 115, 46, 69, 139, 162, 185, 208, 0, 0, 231, 255, 0, 0]);
  });

  it('refuses what PyTorch refuses', () => {
    const writer = new tb.SummaryWriter(newDir());
    expect(() => writer.addEmbedding(torch.ones(3), [1, 2, 3])).toThrow('mat should be 2D, where mat.size(0) is the number of data points');
    expect(() => writer.addEmbedding(torch.ones(3, 2), [1, 2])).toThrow('#labels should equal with #data points');
    expect(() => writer.addEmbedding(torch.ones(3, 2), { labelImg: torch.ones(2, 1, 2, 2) })).toThrow('#images should equal with #data points');
    expect(() => writer.addEmbedding(torch.ones(2, 2), { metadata: [['a'], ['b']], metadataHeader: ['x', 'y'] }))
      .toThrow('len of header must be equal to the number of columns in metadata');
    writer.close();
  });
});

describe.skipIf(!!reason)(`TensorBoard reads the files (${python})`, () => {
  it('scalars, a scalars group, images, histograms and text', () => {
    const dir = newDir();
    const writer = new tb.SummaryWriter(dir);
    for (let step = 0; step < 5; step++) writer.addScalar('train/loss', 1 / (step + 1), step);
    writer.addScalars('lr', { fast: 0.1, slow: 0.01 }, 7);
    writer.addImage('chw', torch.arange(24, { dtype: torch.float32 }).reshape(3, 2, 4).div(23), 1);
    writer.addImage('hw', torch.arange(6, { dtype: torch.uint8 }).reshape(2, 3).mul(50), 2, { dataformats: 'HW' });
    writer.addHistogram('weights', f64([-3.5, -1, 0, 0, 0.25, 1, 1, 2, 7]), 3, 4);
    writer.addHistogram('weights', torch.randn(1000), 4);
    writer.addText('notes', 'héllo **TensorBoard**', 5);
    writer.addImages('batch', torch.rand(10, 1, 2, 2), 6);
    writer.addHparams({ lr: 0.1, optimizer: 'adam' }, { 'hparam/accuracy': 0.9 }, { runName: 'trial1' });
    writer.close();

    const read = readWithTensorBoard(dir);
    expect(Object.keys(read).sort()).toEqual(['.', 'lr_fast', 'lr_slow', 'trial1']);
    expect(read.trial1.hparams).toEqual({ lr: 0.1, optimizer: 'adam' });
    expect(read.trial1.scalars['hparam/accuracy']).toEqual([[0, expect.closeTo(0.9, 6)]]);
    const main = read['.'];
    expect(main.file_version).toBe(2);
    expect(main.scalars['train/loss'].map(([s]: number[]) => s)).toEqual([0, 1, 2, 3, 4]);
    main.scalars['train/loss'].forEach(([s, v]: number[]) => expect(v).toBeCloseTo(1 / (s + 1), 6));
    expect(read.lr_fast.scalars).toEqual({ lr: [[7, expect.closeTo(0.1, 6)]] });
    expect(read.lr_slow.scalars).toEqual({ lr: [[7, expect.closeTo(0.01, 6)]] });

    const [chw] = main.images.chw;
    expect([chw.step, chw.width, chw.height]).toEqual([1, 4, 2]);
    if (chw.png) expect(chw.png).toEqual({ mode: 'RGB', size: [4, 2], pixels: [0, 88, 177, 11, 99, 188, 22, 110, 199, 33, 121, 210, 44, 133, 221, 55, 144, 232, 66, 155, 243, 77, 166, 255] });
    const [hw] = main.images.hw;
    expect([hw.step, hw.width, hw.height]).toEqual([2, 3, 2]);
    const [batch] = main.images.batch;
    expect([batch.step, batch.width, batch.height]).toEqual([6, 16, 4]);

    const [small, large] = main.histograms.weights;
    expect(small).toEqual({ step: 3, min: -3.5, max: 7, num: 9, sum: 6.75, sumSquares: 68.3125, bucketLimit: [-3.5, -0.875, 1.75, 4.375, 7], bucket: [0, 2, 5, 1, 1] });
    expect(large.step).toBe(4);
    expect(large.num).toBe(1000);
    expect(large.bucket.reduce((a: number, b: number) => a + b, 0)).toBe(1000);

    expect(main.texts).toEqual({ 'notes/text_summary': [[5, ['héllo **TensorBoard**']]] });
  });

  it('a restart with purgeStep hides the crashed run\'s later steps', () => {
    const dir = newDir();
    const crashed = new tb.SummaryWriter(dir);
    for (let step = 0; step < 10; step++) crashed.addScalar('loss', step, step);
    crashed.close();
    // TensorBoard reads a run's files in name order: start the second one in a later second.
    const second = Math.floor(Date.now() / 1000);
    while (Math.floor(Date.now() / 1000) === second) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    const resumed = new tb.SummaryWriter(dir, { purgeStep: 5 });
    for (let step = 5; step < 8; step++) resumed.addScalar('loss', step * 10, step);
    resumed.close();
    const read = readWithTensorBoard(dir);
    expect(read['.'].scalars.loss).toEqual([[0, 0], [1, 1], [2, 2], [3, 3], [4, 4], [5, 50], [6, 60], [7, 70]]);
  });
});
