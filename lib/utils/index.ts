// torch.utils
export * as data from './data/index';
export * as tensorboard from './tensorboard/index';
export * as trainer from './trainer/index';
