// torch.optim: optimizers, and torch.optim.lrScheduler (PyTorch's torch.optim.lr_scheduler).
export {
  Optimizer, type ParamGroup, type ParamGroupInput, type ParamsLike, type OptimizerState, type OptimizerStateDict,
  type PyTorchOptimizerStateDict,
} from './optimizer';
export { SGD, type SGDOptions } from './sgd';
export { Adam, type AdamOptions } from './adam';
export { AdamW, type AdamWOptions } from './adamw';
export { RMSprop, type RMSpropOptions } from './rmsprop';
export { Adagrad, type AdagradOptions } from './adagrad';
export { Adadelta, type AdadeltaOptions } from './adadelta';
export { LBFGS, type LBFGSOptions } from './lbfgs';
export { NAdam, type NAdamOptions } from './nadam';
export { RAdam, type RAdamOptions } from './radam';
export { Adamax, type AdamaxOptions } from './adamax';
export { Rprop, type RpropOptions } from './rprop';
export { ASGD, type ASGDOptions } from './asgd';
export { Adafactor, type AdafactorOptions } from './adafactor';
/** `new torch.optim.lrScheduler.StepLR(optimizer, 30, { gamma: 0.1 })`. */
export * as lrScheduler from './lr-schedulers';
