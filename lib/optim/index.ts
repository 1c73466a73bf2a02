// torch.optim and torch.optim.lrScheduler.
export { Optimizer, type ParamGroup, type ParamsLike, type OptimizerStateDict } from './optimizer';
export { SGD, type SGDOptions } from './sgd';
export { Adam, AdamW, type AdamOptions } from './adam';
export { LBFGS, type LBFGSOptions } from './lbfgs';
export { RMSprop, Adagrad, Adadelta, type RMSpropOptions, type AdagradOptions, type AdadeltaOptions } from './rmsprop';
export * as lrScheduler from './lr-scheduler';
