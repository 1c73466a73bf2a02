// torch.nn: Module, Parameter, layers, losses; nn.functional and nn.init as namespaces.
export { Module, type StateDict, type LoadResult } from './module';
export { Parameter } from './parameter';
export { Linear, Identity, type FactoryOptions } from './modules/linear';
export { ReLU, LeakyReLU, ELU, GELU, SiLU, Sigmoid, Tanh, Softplus, Hardtanh, Softmax, LogSoftmax } from './modules/activation';
export { Sequential, ModuleList, Flatten } from './modules/container';
export { Dropout } from './modules/dropout';
export { MSELoss, L1Loss, CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss } from './modules/loss';
export * as functional from './functional';
export * as init from './init';
