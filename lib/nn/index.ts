// torch.nn: Module, Parameter, layers, losses; nn.functional and nn.init as namespaces.
export { Module, type StateDict, type LoadResult } from './module';
export { Parameter } from './parameter';
export { Linear, Bilinear, Identity, type FactoryOptions } from './modules/linear';
export { ReLU, LeakyReLU, ELU, GELU, SiLU, Sigmoid, Tanh, Softplus, Hardtanh, Softmax, LogSoftmax } from './modules/activation';
export { Sequential, ModuleList, ModuleDict, Flatten, Unflatten } from './modules/container';
export { Dropout, Dropout2d } from './modules/dropout';
export { MSELoss, L1Loss, SmoothL1Loss, HuberLoss, KLDivLoss, CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss } from './modules/loss';
export * as functional from './functional';
export * as init from './init';
export { Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d } from './modules/conv';
export { MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d, AdaptiveAvgPool1d, AdaptiveAvgPool2d } from './modules/pooling';
export { BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm } from './modules/normalization';
export { Embedding } from './modules/sparse';
export { RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell, type RNNOptions } from './modules/rnn';
export * as utils from './utils';
export { MultiheadAttention, type AttentionCallOptions, type MultiheadAttentionOptions } from './modules/attention';
export { TransformerEncoderLayer, TransformerEncoder, type TransformerEncoderLayerOptions } from './modules/transformer';
export { deepCopy } from './module';
