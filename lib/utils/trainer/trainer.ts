// Trainer: Keras's compile / fit / evaluate / predict around any nn.Module. Named Trainer, not
// Model, because the model is the nn.Module the user built; this object only trains it.
// Everything is synchronous; each step runs in torch.tidy, so long fits hold no more tensors
// than the first epoch does.
import { Tensor } from '../../tensor';
import { Device } from '../../device';
import type { Generator } from '../../generator';
import { Module } from '../../nn/module';
import { noGrad } from '../../autograd';
import { tidy } from '../../scope';
import { cat } from '../../generated/functions';
import type { Optimizer } from '../../optim/optimizer';
import type { LRScheduler } from '../../optim/lr-scheduler';
import { resolveLoss, BINARY_LOGIT_LOSSES, type LossFn, type LossSpec } from './losses';
import { resolveMetrics, metricValue, type Metric, type MetricSpec } from './metrics';
import { resolveOptimizer, type OptimizerSpec } from './optimizers';
import { CallbackList, type Callback, type Logs } from './callbacks';
import { History } from './history';
import { ProgressLogger } from './progress';
import { TensorData, splitBatch, isBatchIterable, iterableLength, moveTo, describe, type Inputs, type BatchIterable, type Batch } from './data';

export interface CompileOptions {
  optimizer: OptimizerSpec;
  loss: LossSpec;
  metrics?: MetricSpec[];
}

export interface FitOptions {
  /** Default 1, as in Keras. */
  epochs?: number;
  /** Default 32 (tensor data only; a DataLoader has its own). */
  batchSize?: number;
  /** Hold out the last fraction of x and y (before shuffling) for validation. */
  validationSplit?: number;
  /** [x, y] or an iterable of batches, evaluated after each epoch. */
  validationData?: [Inputs, Tensor] | BatchIterable;
  /** Shuffle the training rows each epoch (default true; tensor data only). */
  shuffle?: boolean;
  /** 0 silent, 1 a line per epoch and a progress bar on a terminal (the default), 2 a line per epoch. */
  verbose?: 0 | 1 | 2 | boolean;
  callbacks?: (Callback | LRScheduler)[];
  /** The generator for the shuffling order (default: torch's global one). */
  generator?: Generator;
  /** The epoch to start from (resuming). */
  initialEpoch?: number;
}

/** A number of batches to run and the batch they come from. */
type Batches = { steps: number | null; batches: () => Iterable<() => Batch> };

const positiveInteger = (value: number, name: string) => {
  if (!Number.isInteger(value) || value < 1) throw new Error(`expected ${name} to be a positive integer, got ${value}`);
  return value;
};

export class Trainer {
  optimizer: Optimizer<Record<string, unknown>> | null = null;
  lossFn: LossFn | null = null;
  metrics: Metric[] = [];
  /** Set by a callback (EarlyStopping) to end fit after the current epoch. */
  stopTraining = false;
  /** What the last fit returned. */
  history: History | null = null;

  constructor(readonly model: Module) {
    if (!(model instanceof Module)) throw new TypeError(`Trainer: expected an nn.Module, got ${describe(model)}`);
  }

  /** The loss, the optimizer over model.parameters(), and the metrics to report. */
  compile(options: CompileOptions): this {
    if (options === null || typeof options !== 'object') throw new TypeError('compile(): expected { optimizer, loss, metrics }');
    this.lossFn = resolveLoss(options.loss);
    this.optimizer = resolveOptimizer(options.optimizer, this.model.parameters());
    const logits = typeof options.loss === 'string' && BINARY_LOGIT_LOSSES.has(options.loss);
    this.metrics = resolveMetrics(options.metrics ?? [], logits ? 0 : 0.5);
    return this;
  }

  /** Where the model's parameters are; batches are moved there. */
  get device(): Device | null {
    return this.model.parameters()[0]?.device ?? null;
  }

  /** Trains for `epochs` epochs; returns the History of loss and metrics per epoch. */
  fit(x: Inputs | BatchIterable, y?: Tensor, options: FitOptions = {}): History {
    const { optimizer } = this.compiled('fit()');
    const epochs = positiveInteger(options.epochs ?? 1, 'epochs');
    const verbose = Number(options.verbose ?? 1);
    let train = this.source(x, y, 'fit()');
    let validation = options.validationData === undefined ? null : this.validationSource(options.validationData);
    if (options.validationSplit !== undefined && options.validationSplit !== 0) {
      if (!(train instanceof TensorData)) throw new Error('fit(): validationSplit needs tensor data; give a DataLoader validationData instead');
      if (validation !== null) throw new Error('fit(): give validationSplit or validationData, not both');
      [train, validation] = train.split(options.validationSplit);
    }
    const batchSize = positiveInteger(options.batchSize ?? 32, 'batchSize');
    const steps = train instanceof TensorData ? Math.ceil(train.length / batchSize) : iterableLength(train);
    const history = new History({ epochs, steps, verbose });
    const progress = new ProgressLogger(epochs, steps, verbose);
    const callbacks = new CallbackList([...(options.callbacks ?? []), progress, history], this);
    this.history = history;
    this.stopTraining = false;
    try {
      callbacks.trainBegin({});
      for (let epoch = options.initialEpoch ?? 0; epoch < epochs && !this.stopTraining; epoch++) {
        callbacks.epochBegin(epoch, {});
        const order = train instanceof TensorData && (options.shuffle ?? true) ? train.permutation(options.generator) : null;
        const logs = this.runEpoch(this.batches(train, batchSize, order), optimizer, callbacks);
        order?.dispose();
        if (validation !== null) {
          for (const [key, value] of Object.entries(this.evaluateSource(validation, batchSize))) logs[`val${key[0].toUpperCase()}${key.slice(1)}`] = value;
        }
        callbacks.epochEnd(epoch, logs);
      }
      callbacks.trainEnd(history.history.loss.length ? lastLogs(history) : {});
    } finally {
      progress.stop();
    }
    return history;
  }

  /** Loss and metrics over x and y, in eval mode without gradients: { loss, accuracy, ... }. */
  evaluate(x: Inputs | BatchIterable, y?: Tensor, options: { batchSize?: number } = {}): Logs {
    this.compiled('evaluate()');
    return this.evaluateSource(this.source(x, y, 'evaluate()'), positiveInteger(options.batchSize ?? 32, 'batchSize'));
  }

  /** The model's outputs for x, batch by batch in eval mode without gradients, concatenated. */
  predict(x: Inputs | BatchIterable, options: { batchSize?: number } = {}): Tensor {
    const source = isBatchIterable(x) ? x : TensorData.from(x, null, 'predict()');
    const batchSize = positiveInteger(options.batchSize ?? 32, 'batchSize');
    const outputs = this.inEvalMode(() => {
      const list: Tensor[] = [];
      for (const batch of this.batches(source, batchSize, null, false, 'predict()')) list.push(tidy(() => this.forward(batch().inputs)));
      return list;
    });
    if (outputs.length === 0) throw new Error('predict(): got no batches');
    const result = outputs.length === 1 ? outputs[0] : cat(outputs);
    if (outputs.length > 1) outputs.forEach((t) => t.dispose());
    return result;
  }

  /** One optimizer step on one batch; returns its loss and metrics. */
  trainOnBatch(x: Inputs, y: Tensor): Logs {
    const { optimizer } = this.compiled('trainOnBatch()');
    const data = TensorData.from(x, y, 'trainOnBatch()');
    return this.runEpoch(this.batches(data, data.length, null), optimizer, new CallbackList([], this));
  }

  // ---- internals ---------------------------------------------------------------------------

  private compiled(who: string): { optimizer: Optimizer<Record<string, unknown>>; lossFn: LossFn } {
    if (this.optimizer === null || this.lossFn === null) throw new Error(`${who}: call compile({ optimizer, loss }) first`);
    return { optimizer: this.optimizer, lossFn: this.lossFn };
  }

  private source(x: Inputs | BatchIterable, y: Tensor | undefined, who: string): TensorData | BatchIterable {
    if (!isBatchIterable(x)) return TensorData.from(x, y, who);
    if (y !== undefined && y !== null) throw new Error(`${who}: x is an iterable of [...inputs, target] batches, so leave y out`);
    return x;
  }

  private validationSource(data: [Inputs, Tensor] | BatchIterable): TensorData | BatchIterable {
    if (isBatchIterable(data)) return data;
    const pair = data as unknown[];
    if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError('fit(): expected validationData to be [x, y] or an iterable of batches');
    return TensorData.from(pair[0] as Inputs, pair[1] as Tensor, 'fit() validationData');
  }

  /** Thunks making each batch on the model's device, to call inside a step's tidy scope. */
  private batches(source: TensorData | BatchIterable, batchSize: number, order: Tensor | null, needsTarget = true, who = 'fit()'): Iterable<() => Batch> {
    const device = this.device;
    const place = (b: Batch): Batch => ({ inputs: b.inputs.map((t) => moveTo(t, device)), target: b.target && moveTo(b.target, device) });
    if (source instanceof TensorData) {
      const data = source;
      return (function* () {
        for (let start = 0; start < data.length; start += batchSize) {
          yield () => place(data.take(start, Math.min(start + batchSize, data.length), order));
        }
      })();
    }
    return (function* () {
      for (const item of source) yield () => place(splitBatch(item, needsTarget, who));
    })();
  }

  private forward(inputs: Tensor[]): Tensor {
    const output = this.model.forward(...inputs);
    if (!(output instanceof Tensor)) {
      throw new Error(`Trainer: the model's forward returned ${describe(output)}, expected a Tensor (an LSTM's forward returns [output, [h, c]]: pick the tensor in the model's forward)`);
    }
    return output;
  }

  private lossOf(output: Tensor, target: Tensor): Tensor {
    const loss = this.lossFn!(output, target);
    if (!(loss instanceof Tensor) || loss.numel() !== 1) {
      throw new Error(`Trainer: the loss must be a one-element tensor, got ${loss instanceof Tensor ? `shape [${loss.shape}]` : describe(loss)}`);
    }
    return loss;
  }

  /** Sample-weighted means of loss and metrics over the batches; fit's steps when an optimizer is given. */
  private runEpoch(batches: Iterable<() => Batch>, optimizer: Optimizer<Record<string, unknown>> | null, callbacks: CallbackList): Logs {
    const sums = new Map<string, number>();
    let seen = 0;
    let index = 0;
    const means = (): Logs => Object.fromEntries([...sums].map(([k, v]) => [k, v / seen]));
    if (optimizer !== null) this.model.train();
    for (const make of batches) {
      callbacks.batchBegin(index, {});
      const { size, values } = tidy(() => {
        const { inputs, target } = make();
        if (target === null) throw new Error('Trainer: a batch has no target');
        let output!: Tensor;
        let loss: Tensor;
        if (optimizer !== null) {
          // A closure, so that LBFGS (which evaluates several times) works like the others.
          loss = optimizer.step(() => {
            optimizer.zeroGrad();
            output = this.forward(inputs);
            const l = this.lossOf(output, target);
            l.backward();
            return l;
          }) as Tensor;
        } else {
          output = this.forward(inputs);
          loss = this.lossOf(output, target);
        }
        const metrics = noGrad(() => this.metrics.map((m) => [m.name, metricValue(m.fn(output.detach(), target))] as const));
        return { size: target.size(0), values: [['loss', loss.item()] as const, ...metrics] };
      });
      for (const [name, value] of values) sums.set(name, (sums.get(name) ?? 0) + value * size);
      seen += size;
      callbacks.batchEnd(index++, means());
    }
    if (seen === 0) throw new Error('Trainer: the data gave no batches');
    return means();
  }

  private evaluateSource(source: TensorData | BatchIterable, batchSize: number): Logs {
    return this.inEvalMode(() => this.runEpoch(this.batches(source, batchSize, null), null, new CallbackList([], this)));
  }

  /** fn in eval mode without gradients; the model's mode is restored afterwards. */
  private inEvalMode<T>(fn: () => T): T {
    const modes = this.model.modules().map((m) => m.training);
    this.model.eval();
    try {
      return noGrad(fn);
    } finally {
      this.model.modules().forEach((m, i) => { m.training = modes[i]; });
    }
  }
}

function lastLogs(history: History): Logs {
  return Object.fromEntries(Object.entries(history.history).map(([k, v]) => [k, v[v.length - 1]]));
}
