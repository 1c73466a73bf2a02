// Bad input to training: torch.optim (constructors, step, state dicts), lrScheduler,
// torch.utils.data (datasets, DataLoader options, MNIST files), the TensorBoard writer and the
// Keras-style trainer. Each row must throw a JS Error whose message names what was wrong; the
// last tests check that every exported name has rows (or a reason not to).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';
import { type Row, disposed, itThrowsForEachRow, itStillComputes, uncovered } from './bad-input-helpers';

const { optim } = torch;
const { lrScheduler } = optim;
const { data } = torch.utils;
const tb = torch.utils.tensorboard;
const { trainer } = torch.utils;
const param = () => torch.ones(2, { requiresGrad: true });
const sgd = () => new optim.SGD([param()], { lr: 0.1 });
const dataset = () => new data.TensorDataset(torch.arange(4).float(), torch.arange(4));
const dead = /Tensor has been disposed/;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-bad-input-'));

// Every optimizer: no parameters, a non-tensor parameter, a negative learning rate, a step
// over a disposed parameter. (optim.Optimizer is the base class: its rows are SGD's.)
const OPTIMIZERS = {
  SGD: optim.SGD, Adam: optim.Adam, AdamW: optim.AdamW, RMSprop: optim.RMSprop, Adagrad: optim.Adagrad, Adadelta: optim.Adadelta, LBFGS: optim.LBFGS,
  NAdam: optim.NAdam, RAdam: optim.RAdam, Adamax: optim.Adamax, Rprop: optim.Rprop, ASGD: optim.ASGD,
};
type AnyOptimizerClass = new (params: unknown, options?: unknown) => torch.optim.Optimizer;
const optimizers: Row[] = Object.entries(OPTIMIZERS).flatMap(([name, C]): Row[] => {
  const Optimizer = C as unknown as AnyOptimizerClass;
  return [
    [`optim.${name}([])`, () => new Optimizer([], { lr: 0.1 }), /optimizer got an empty parameter list/],
    [`optim.${name}(5)`, () => new Optimizer(5, { lr: 0.1 }), /params argument given to the optimizer should be an iterable of Tensors or objects, but got number/],
    [`optim.${name}([5])`, () => new Optimizer([5], { lr: 0.1 }), /optimizer can only optimize Tensors, but one of the params is number/],
    [`optim.${name}(lr: -1)`, () => new Optimizer([param()], { lr: -1 }), /Invalid learning rate: -1/],
    [`optim.${name}.step (disposed parameter)`, () => {
      const p = param();
      const opt = new Optimizer([p], { lr: 0.1 });
      p.mul(2).sum().backward();
      p.dispose();
      opt.step(() => torch.ones(1));
    }, dead],
  ];
});

const optimizerRows: Row[] = [
  ...optimizers,
  ["optim.Optimizer (SGD) lr 'x'", () => new optim.SGD([param()], { lr: 'x' as never }), /Invalid learning rate: x/],
  ['optim.Optimizer (SGD) momentum -1', () => new optim.SGD([param()], { lr: 0.1, momentum: -1 }), /Invalid momentum value: -1/],
  ['optim.Adam(betas: [2, 0.9])', () => new optim.Adam([param()], { betas: [2, 0.9] }), /Invalid beta parameter at index 0: 2/],
  ['optim.Adam(eps: -1)', () => new optim.Adam([param()], { eps: -1 }), /Invalid epsilon value: -1/],
  ['optim.AdamW(weightDecay: -1)', () => new optim.AdamW([param()], { weightDecay: -1 }), /Invalid weight_decay value: -1/],
  ['optim.RMSprop(alpha: -1)', () => new optim.RMSprop([param()], { alpha: -1 }), /Invalid alpha value: -1/],
  ['optim.Adagrad(lrDecay: -1)', () => new optim.Adagrad([param()], { lrDecay: -1 }), /Invalid lr_decay value: -1/],
  ['optim.Adadelta(rho: 2)', () => new optim.Adadelta([param()], { rho: 2 }), /Invalid rho value: 2/],
  ['optim.NAdam(momentumDecay: -1)', () => new optim.NAdam([param()], { momentumDecay: -1 }), /Invalid momentum_decay value: -1/],
  ['optim.RAdam(betas: [0.9, 1])', () => new optim.RAdam([param()], { betas: [0.9, 1] }), /Invalid beta parameter at index 1: 1/],
  ['optim.Adamax(weightDecay: -1)', () => new optim.Adamax([param()], { weightDecay: -1 }), /Invalid weight_decay value: -1/],
  ['optim.Rprop(etas: [1.5, 1.2])', () => new optim.Rprop([param()], { etas: [1.5, 1.2] }), /Invalid eta values: 1.5, 1.2/],
  ['optim.ASGD(weight_decay: 1)', () => new optim.ASGD([param()], { weight_decay: 1 } as never), /ASGD: unknown option 'weight_decay' \(did you mean 'weightDecay'\?\)/],
  ['optim.Adafactor(lr: -1)', () => new optim.Adafactor([param()], { lr: -1 }), /Learning rate should be >= 0 but is: -1/],
  ['optim.Adafactor([])', () => new optim.Adafactor([]), /optimizer got an empty parameter list/],
  ['optim.Adafactor.step (complex parameter)', () => { const p = torch.zeros(2, { dtype: torch.complex64, requiresGrad: true }); p.grad = torch.ones(2, { dtype: torch.complex64 }); new optim.Adafactor([p]).step(); }, /Adafactor does not support complex parameters/],
  ['optim.LBFGS.step without a closure', () => new optim.LBFGS([param()]).step(), /LBFGS requires a closure that re-evaluates the model and returns the loss/],
  ['optim.Adam.loadStateDict({})', () => new optim.Adam([param()]).loadStateDict({} as never), /loadStateDict: expected an object with state and paramGroups/],
  ['optim.Adam.addParamGroup(duplicate parameter)', () => { const p = param(); new optim.Adam([p]).addParamGroup({ params: [p] }); }, /some parameters appear in more than one parameter group/],
];

const schedulers: Row[] = [
  ['optim.lrScheduler.LRScheduler(5)', () => new lrScheduler.StepLR(5 as never, 1), /Number is not an Optimizer/],
  ['optim.lrScheduler.StepLR(optimizer) without stepSize', () => new lrScheduler.StepLR(sgd(), undefined as never), /StepLR: stepSize must be a number \(new StepLR\(optimizer, stepSize, \{ gamma \}\)\), got undefined/],
  ['optim.lrScheduler.MultiStepLR(5, [1])', () => new lrScheduler.MultiStepLR(5 as never, [1]), /is not an Optimizer/],
  ['optim.lrScheduler.ExponentialLR(optimizer) without gamma', () => new lrScheduler.ExponentialLR(sgd(), undefined as never), /ExponentialLR: gamma must be a number/],
  ['optim.lrScheduler.CosineAnnealingLR(undefined, 10)', () => new lrScheduler.CosineAnnealingLR(undefined as never, 10), /is not an Optimizer/],
  ['optim.lrScheduler.LambdaLR(optimizer, 5)', () => new lrScheduler.LambdaLR(sgd(), 5 as never), /LambdaLR: lrLambda must be a function or one per group/],
  ['optim.lrScheduler.OneCycleLR without totalSteps', () => new lrScheduler.OneCycleLR(sgd(), 1), /You must define either total_steps OR \(epochs AND steps_per_epoch\)/],
  ['optim.lrScheduler.ConstantLR(factor: 2)', () => new lrScheduler.ConstantLR(sgd(), { factor: 2 }), /Constant multiplicative factor expected to be between 0 and 1\./],
  ['optim.lrScheduler.LinearLR(startFactor: 0)', () => new lrScheduler.LinearLR(sgd(), { startFactor: 0 }), /Starting multiplicative factor expected to be greater than 0 and less or equal to 1\./],
  ['optim.lrScheduler.MultiplicativeLR(optimizer, 5)', () => new lrScheduler.MultiplicativeLR(sgd(), 5 as never), /lr_lambda should be a function, but got number/],
  ['optim.lrScheduler.PolynomialLR(total_iters: 4)', () => new lrScheduler.PolynomialLR(sgd(), { total_iters: 4 } as never), /PolynomialLR: unknown option 'total_iters' \(did you mean 'totalIters'\?\)/],
  ['optim.lrScheduler.CosineAnnealingWarmRestarts(optimizer, 0)', () => new lrScheduler.CosineAnnealingWarmRestarts(sgd(), 0), /Expected positive integer T_0, but got 0/],
  ['optim.lrScheduler.CyclicLR(optimizer) without baseLr', () => new lrScheduler.CyclicLR(sgd(), undefined as never, 0.1), /CyclicLR: baseLr must be a number \(new CyclicLR\(optimizer, baseLr, maxLr, \{ stepSizeUp \}\)\), got undefined/],
  ['optim.lrScheduler.SequentialLR(optimizer, [])', () => new lrScheduler.SequentialLR(sgd(), [], []), /SequentialLR expects at least one scheduler, but got no scheduler\./],
  ['optim.lrScheduler.ChainedScheduler([5])', () => new lrScheduler.ChainedScheduler([5 as never]), /ChainedScheduler at index 0 should have `optimizer` as its attribute\./],
  ['optim.lrScheduler.ReduceLROnPlateau(mode: "bogus")', () => new lrScheduler.ReduceLROnPlateau(sgd(), { mode: 'bogus' as never }), /mode bogus is unknown!/],
];

// MNIST's files, written to a folder: a label file that lies about its length.
function brokenMnist(): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'mnist-'));
  const header = (magic: number, dims: number[]) => {
    const b = Buffer.alloc(4 + 4 * dims.length);
    b.writeUInt32BE(magic);
    dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
    return b;
  };
  fs.writeFileSync(path.join(dir, 'train-images-idx3-ubyte'), Buffer.concat([header(0x0803, [1, 28, 28]), Buffer.alloc(784)]));
  fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte'), Buffer.concat([header(0x0801, [1000]), Buffer.alloc(1)]));
  return dir;
}

const dataRows: Row[] = [
  ['utils.data.TensorDataset(sizes differ)', () => new data.TensorDataset(torch.ones(2), torch.ones(3)), /Size mismatch between tensors/],
  ['utils.data.TensorDataset(disposed)', () => new data.TensorDataset(disposed()), dead],
  ['utils.data.Dataset.getItem (TensorDataset, disposed)', () => { const t = torch.ones(2); const d = new data.TensorDataset(t); t.dispose(); return d.getItem(0); }, dead],
  ['utils.data.Subset.getItem (index out of range)', () => new data.Subset(dataset(), [5]).getItem(0), /select\(\): index 5 out of range for tensor of size \[4\]/],
  ['utils.data.randomSplit(lengths do not sum)', () => data.randomSplit(dataset(), [5, 5]), /Sum of input lengths does not equal the length of the input dataset!/],
  ['utils.data.DataLoader(batchSize: 0)', () => new data.DataLoader(dataset(), { batchSize: 0 }), /batch_size should be a positive integer value, but got batch_size=0/],
  ['utils.data.DataLoader(batchSize: -1)', () => new data.DataLoader(dataset(), { batchSize: -1 }), /batch_size should be a positive integer value, but got batch_size=-1/],
  ['utils.data.DataLoader(batchSize: NaN)', () => new data.DataLoader(dataset(), { batchSize: NaN }), /batch_size should be a positive integer value, but got batch_size=NaN/],
  ['utils.data.DataLoader(batchSize: "x")', () => new data.DataLoader(dataset(), { batchSize: 'x' as never }), /batch_size should be a positive integer value, but got batch_size=x/],
  ['utils.data.DataLoader over disposed tensors', () => { const t = torch.ones(4); const d = new data.TensorDataset(t); t.dispose(); return [...new data.DataLoader(d, { batchSize: 2 })]; }, dead],
  ['utils.data.DistributedSampler without a process group', () => new data.DistributedSampler(dataset()), /Default process group has not been initialized, please make sure to call initProcessGroup/],
  ['utils.data.DistributedSampler(rank: 5 of 2)', () => new data.DistributedSampler(dataset(), { numReplicas: 2, rank: 5 }), /Invalid rank 5, rank should be in the interval \[0, 1\]/],
  ['utils.data.DistributedSampler(numReplicas: 0)', () => new data.DistributedSampler(dataset(), { numReplicas: 0, rank: 0 }), /expected a positive integer numReplicas, got 0/],
  ['utils.data.defaultCollate(shapes differ)', () => data.defaultCollate([torch.ones(2), torch.ones(3)]), /stack expects each tensor to be equal size, but got \[2\] at entry 0 and \[3\] at entry 1/],
  ['utils.data.defaultCollate(disposed)', () => data.defaultCollate([disposed(), disposed()]), dead],
  ['utils.data.datasets.readIdx(truncated header)', () => data.datasets.readIdx(Buffer.from([1, 2, 3])), /readIdx\(\): truncated header: expected at least 4 bytes, got 3/],
  ['utils.data.datasets.readIdx(huge declared shape)', () => data.datasets.readIdx(Buffer.from([0, 0, 8, 4, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 255])), /readIdx\(\): truncated data: shape \[65535, 65535, 65535, 65535\] of uint8 needs .* bytes after the header, got 0/],
  ['utils.data.datasets.MNIST(missing folder)', () => new data.datasets.MNIST(path.join(tmp, 'nowhere')), /train-images-idx3-ubyte: not found \(nor train-images-idx3-ubyte.gz\)/],
  ['utils.data.datasets.MNIST(label file shorter than its header says)', () => new data.datasets.MNIST(brokenMnist()), /readIdx\(\): truncated data: shape \[1000\] of uint8 needs 1000 bytes after the header, got 1/],
  ['utils.data.datasets.FashionMNIST(missing folder)', () => new data.datasets.FashionMNIST(path.join(tmp, 'nowhere')), /train-images-idx3-ubyte: not found/],
];

const tensorboard: Row[] = [
  ['utils.tensorboard.SummaryWriter.addScalar(disposed)', () => new tb.SummaryWriter(path.join(tmp, 'tb')).addScalar('loss', disposed()), dead],
  ['utils.tensorboard.SummaryWriter.addHistogram(disposed)', () => new tb.SummaryWriter(path.join(tmp, 'tb')).addHistogram('h', disposed()), dead],
  ['utils.tensorboard.SummaryWriter.addImage(disposed)', () => new tb.SummaryWriter(path.join(tmp, 'tb')).addImage('i', disposed()), dead],
  ['utils.tensorboard.SummaryWriter(a file as logDir)', () => { const f = path.join(tmp, 'a-file'); fs.writeFileSync(f, ''); return new tb.SummaryWriter(f).addScalar('x', 1, 0); }, /EEXIST|ENOTDIR|not a directory|file already exists/],
  ['utils.tensorboard.EventFileWriter(a file as logDir)', () => { const f = path.join(tmp, 'b-file'); fs.writeFileSync(f, ''); return new tb.EventFileWriter(f); }, /EEXIST|ENOTDIR|not a directory|file already exists/],
  ['utils.tensorboard.makeHistogram(disposed)', () => tb.makeHistogram(disposed()), dead],
  ['utils.tensorboard.makeImage(disposed)', () => tb.makeImage(disposed()), dead],
  ['utils.tensorboard.convertToHWC(disposed)', () => tb.convertToHWC(disposed(), 'CHW'), dead],
  ['utils.tensorboard.summary.histogram(disposed)', () => tb.summary.histogram('h', disposed()), dead],
  ['utils.tensorboard.summary.image(disposed)', () => tb.summary.image('i', disposed()), dead],
  ['utils.tensorboard.summary.scalar(disposed)', () => tb.summary.scalar('s', disposed()), dead],
  ['utils.tensorboard.decodeRecords(corrupt)', () => tb.decodeRecords(Buffer.from([255, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4])), /crc|truncated|length|record/i],
  ['utils.tensorboard.summary.hparams(not a dict)', () => tb.summary.hparams([1] as never, {}), /parameter: hparam_dict should be a dictionary, nothing logged./],
  ['utils.tensorboard.decodeHParamsPluginData(garbage)', () => tb.decodeHParamsPluginData(Buffer.from([255, 255, 255, 255, 255])), /index out of range|invalid|wire type|truncated/i],
  ['utils.tensorboard.decodeEvent(garbage)', () => tb.decodeEvent(Buffer.from([255, 255, 255, 255, 255])), /index out of range|invalid|wire type|truncated/i],
];

const trainerRows: Row[] = [
  ['utils.trainer.Trainer.compile(null)', () => new trainer.Trainer(new torch.nn.Linear(2, 1)).compile(null as never), /compile\(\): expected \{ optimizer, loss, metrics \}/],
  ['utils.trainer.Trainer.fit before compile', () => new trainer.Trainer(new torch.nn.Linear(2, 1)).fit(torch.ones(4, 2), torch.ones(4, 1)), /compile/],
  ['utils.trainer.Trainer(5)', () => new trainer.Trainer(5 as never), /Trainer: expected an nn.Module, got number/],
  ['utils.trainer.Trainer.compile(optimizer: "bogus")', () => new trainer.Trainer(new torch.nn.Linear(2, 1)).compile({ optimizer: 'bogus' as never, loss: 'mse' }), /compile\(\): unknown optimizer 'bogus'; expected one of 'sgd'/],
  ['utils.trainer.Trainer.compile(loss: "bogus")', () => new trainer.Trainer(new torch.nn.Linear(2, 1)).compile({ optimizer: 'sgd', loss: 'bogus' as never }), /compile\(\): unknown loss 'bogus'; expected one of 'mse'/],
  ['utils.trainer.Trainer.compile(metrics: ["bogus"])', () => new trainer.Trainer(new torch.nn.Linear(2, 1)).compile({ optimizer: 'sgd', loss: 'mse', metrics: ['bogus' as never] }), /compile\(\): unknown metric 'bogus'/],
  ['utils.trainer.LearningRateScheduler(5)', () => new trainer.LearningRateScheduler(5 as never), /LearningRateScheduler: expected a torch.optim.lrScheduler scheduler/],
  ['utils.trainer.EarlyStopping(monitor: "bogus")', () => new trainer.EarlyStopping({ monitor: 'bogus' }), /EarlyStopping: cannot tell whether 'bogus' should be minimized or maximized; pass mode: 'min' or 'max'/],
  ['utils.trainer.EarlyStopping(mode: "bogus")', () => new trainer.EarlyStopping({ mode: 'bogus' as never }), /EarlyStopping: expected mode 'auto', 'min' or 'max', got 'bogus'/],
  ['utils.trainer.ModelCheckpoint(5)', () => new trainer.ModelCheckpoint(5 as never), /ModelCheckpoint: expected a file path/],
  ['utils.trainer.ModelCheckpoint(into a missing folder) during fit', () => new trainer.Trainer(new torch.nn.Linear(2, 1)).compile({ optimizer: 'sgd', loss: 'mse' })
    .fit(torch.ones(4, 2), torch.ones(4, 1), { verbose: 0, callbacks: [new trainer.ModelCheckpoint(path.join(tmp, 'missing', 'x.pt'))] }), /ENOENT: no such file or directory/],
  ['utils.trainer.TensorBoard(a file as logDir)', () => { const f = path.join(tmp, 'c-file'); fs.writeFileSync(f, ''); return new trainer.TensorBoard(f).onEpochEnd(0, { loss: 1 }); }, /EEXIST|ENOTDIR|not a directory|file already exists/],
  ['utils.trainer.binaryAccuracy(0.5)(disposed)', () => trainer.binaryAccuracy(0.5)(disposed(), torch.ones(2, 3)), dead],
  ['utils.trainer.categoricalAccuracy(batch mismatch)', () => trainer.categoricalAccuracy(torch.ones(2, 3), torch.ones(3, 3)), /The size of tensor a \(2\) must match the size of tensor b \(3\)/],
  ['utils.trainer.sparseCategoricalAccuracy(batch mismatch)', () => trainer.sparseCategoricalAccuracy(torch.ones(2, 3), torch.ones(5)), /The size of tensor a \(2\) must match the size of tensor b \(5\)/],
  ['utils.trainer.Trainer.fit(disposed inputs)', () => new trainer.Trainer(new torch.nn.Linear(2, 1)).compile({ optimizer: 'sgd', loss: 'mse' }).fit(disposed(), torch.ones(2, 1), { verbose: 0 }), dead],
];

const rows = [...optimizerRows, ...schedulers, ...dataRows, ...tensorboard, ...trainerRows];

const SKIPS: Record<string, string> = {
  'optim.lrScheduler': 'its classes: the optim.lrScheduler.* names',
  'utils.data': 'its names: utils.data.*', 'utils.tensorboard': 'its names: utils.tensorboard.*', 'utils.trainer': 'its names: utils.trainer.*',
  'utils.data.datasets': 'its names: utils.data.datasets.*', 'utils.data.Dataset': 'abstract; rows through TensorDataset',
  'utils.tensorboard.summary': 'its functions: utils.tensorboard.summary.*',
  'utils.tensorboard.defaultLogDir': 'formats a date and a comment; any value prints',
  'utils.tensorboard.defaultBins': 'takes no arguments',
  'utils.tensorboard.encodeRecord': 'frames any bytes', 'utils.tensorboard.crc32c': 'checksums any bytes',
  'utils.tensorboard.maskedCrc32c': 'checksums any bytes', 'utils.tensorboard.encodeEvent': 'encodes a typed object',
  'utils.tensorboard.summary.text': 'any string is a text summary',
  'utils.trainer.History': 'made by fit(), not by callers', 'utils.trainer.LOSSES': "a lookup table; bad names: the compile(loss) row",
  'utils.trainer.OPTIMIZERS': "a lookup table; bad names: the compile(optimizer) row",
  'utils.trainer.LambdaCallback': 'takes any hooks object; a hook that throws propagates (its own tests)',
  'optim.lrScheduler.LRScheduler': 'abstract base; its constructor check runs in every row of its subclasses',
};

describe('bad input to optim, lrScheduler, utils.data, tensorboard, trainer: a JS Error naming what was wrong', () => {
  itThrowsForEachRow(rows);
  itStillComputes();
});

describe('every public name of optim and utils has a row or a reason', () => {
  it('optim.*, optim.lrScheduler.*', () => {
    expect(uncovered('optim', optim, rows, SKIPS)).toEqual([]);
    expect(uncovered('optim.lrScheduler', lrScheduler, rows, SKIPS)).toEqual([]);
  });
  it('utils.data.*, utils.data.datasets.*, utils.tensorboard.*, utils.trainer.*', () => {
    expect(uncovered('utils', torch.utils, rows, SKIPS)).toEqual([]);
    expect(uncovered('utils.data', data, rows, SKIPS)).toEqual([]);
    expect(uncovered('utils.data.datasets', data.datasets, rows, SKIPS)).toEqual([]);
    expect(uncovered('utils.tensorboard', tb, rows, SKIPS)).toEqual([]);
    expect(uncovered('utils.tensorboard.summary', tb.summary, rows, SKIPS)).toEqual([]);
    expect(uncovered('utils.trainer', trainer, rows, SKIPS)).toEqual([]);
  });
});
