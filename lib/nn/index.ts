// torch.nn: Module, Parameter, layers, losses; nn.functional and nn.init as namespaces.
export { Module, type StateDict, type LoadResult } from './module';
export type { Size } from './types';
export { Parameter } from './parameter';
export { Linear, LazyLinear, UninitializedParameter, Bilinear, Identity, type FactoryOptions } from './modules/linear';
export {
  ReLU, LeakyReLU, ELU, CELU, SELU, GELU, SiLU, Mish, Hardswish, Hardsigmoid, Sigmoid, Tanh, Softsign, Tanhshrink, LogSigmoid,
  Softplus, Hardtanh, ReLU6, Threshold, Hardshrink, Softshrink, GLU, PReLU, Softmax, Softmin, LogSoftmax, Softmax2d,
} from './modules/activation';
export {
  Sequential, ModuleList, ModuleDict, Flatten, Unflatten, ParameterList, ParameterDict, type ParameterDictInput,
} from './modules/container';
export { Dropout, Dropout1d, Dropout2d, Dropout3d, AlphaDropout, FeatureAlphaDropout, RReLU } from './modules/dropout';
export {
  MSELoss, L1Loss, SmoothL1Loss, HuberLoss, KLDivLoss, CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss, SoftMarginLoss,
  HingeEmbeddingLoss, MultiLabelMarginLoss, MultiLabelSoftMarginLoss, MultiMarginLoss, PoissonNLLLoss, GaussianNLLLoss,
  MarginRankingLoss, CosineEmbeddingLoss, TripletMarginLoss, CTCLoss, TripletMarginWithDistanceLoss, type DistanceFunction,
  type TripletMarginWithDistanceLossOptions,
} from './modules/loss';
export { PairwiseDistance, CosineSimilarity } from './modules/distance';
export * as functional from './functional';
export * as init from './init';
export {
  Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d, type PaddingMode, type ConvModuleOptions,
  type ConvTransposeModuleOptions,
} from './modules/conv';
export {
  MaxPool1d, MaxPool2d, MaxPool3d, AvgPool1d, AvgPool2d, AvgPool3d, AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveAvgPool3d,
  AdaptiveMaxPool1d, AdaptiveMaxPool2d, AdaptiveMaxPool3d, MaxUnpool1d, MaxUnpool2d, MaxUnpool3d, LPPool1d, LPPool2d, LPPool3d,
} from './modules/pooling';
export { FractionalMaxPool2d, FractionalMaxPool3d, type FractionalMaxPoolModuleOptions } from './modules/fractional-pooling';
export {
  BatchNorm1d, BatchNorm2d, BatchNorm3d, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d, LayerNorm, GroupNorm,
  LocalResponseNorm, RMSNorm, type BatchNormOptions, type RMSNormOptions,
} from './modules/normalization';
export { Embedding, EmbeddingBag, type EmbeddingModuleOptions, type EmbeddingBagModuleOptions } from './modules/sparse';
export {
  Upsample, UpsamplingNearest2d, UpsamplingBilinear2d, PixelShuffle, PixelUnshuffle, Unfold, Fold, type UpsampleOptions,
} from './modules/sampling';
export {
  ZeroPad1d, ZeroPad2d, ZeroPad3d, ConstantPad1d, ConstantPad2d, ConstantPad3d, ReflectionPad1d, ReflectionPad2d,
  ReflectionPad3d, ReplicationPad1d, ReplicationPad2d, ReplicationPad3d, CircularPad1d, CircularPad2d, CircularPad3d,
  ChannelShuffle,
} from './modules/padding';
export { RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell, type RNNOptions, type LSTMOptions, type CellOptions as RNNCellOptions } from './modules/rnn';
export * as utils from './utils';
export * as parallel from './parallel/index';
export { MultiheadAttention, type AttentionCallOptions, type MultiheadAttentionOptions } from './modules/attention';
export {
  TransformerEncoderLayer, TransformerEncoder, type TransformerEncoderLayerOptions, type EncoderCallOptions,
  TransformerDecoderLayer, TransformerDecoder, Transformer, type TransformerDecoderLayerOptions, type DecoderCallOptions,
  type TransformerActivation, type TransformerOptions, type TransformerCallOptions,
} from './modules/transformer';
export { deepCopy } from './module';
