// torch.utils.trainer: Keras's compile / fit / evaluate / predict for any nn.Module.
//   const trainer = new Trainer(model).compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
//   const history = trainer.fit(x, y, { epochs: 5, batchSize: 64, validationSplit: 0.1 });
export { Trainer, type CompileOptions, type FitOptions } from './trainer';
export { History, type HistoryRecord, type FitParams } from './history';
export { LambdaCallback, LearningRateScheduler, type Callback, type Logs, type LearningRateSchedulerOptions } from './callbacks';
export { TensorBoard, type TensorBoardOptions } from './tensorboard-callback';
export { EarlyStopping, ModelCheckpoint, type EarlyStoppingOptions, type ModelCheckpointOptions, type MonitorMode } from './monitoring';
export { LOSSES, type LossFn, type LossName, type LossSpec } from './losses';
export { binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, type Metric, type MetricFn, type MetricName, type MetricSpec } from './metrics';
export { OPTIMIZERS, type OptimizerName, type OptimizerSpec } from './optimizers';
export type { Inputs, BatchIterable } from './data';
