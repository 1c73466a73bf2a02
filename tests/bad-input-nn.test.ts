// Bad input to torch.nn: module constructors with bad sizes and options, forward with wrong
// shapes, dtypes and disposed inputs, nn.functional, nn.init and nn.utils. Each row must throw
// a JS Error whose message names what was wrong; the last tests check that every exported
// name has rows (or a reason not to).
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';
import { type Row, disposed, itThrowsForEachRow, itStillComputes, uncovered } from './bad-input-helpers';

const { nn } = torch;
const F = nn.functional as unknown as Record<string, (...args: unknown[]) => unknown>;
const dead = /Tensor has been disposed/;
const negative = /Trying to create tensor with negative dimension -1/;
const hasCuda = torch.cuda.isAvailable();

// A small valid instance of every module class: forward(disposed input) must throw for each.
const MODULES: Record<string, () => torch.nn.Module> = {
  Linear: () => new nn.Linear(2, 3), LazyLinear: () => new nn.LazyLinear(3), Bilinear: () => new nn.Bilinear(2, 2, 3),
  ReLU: () => new nn.ReLU(), LeakyReLU: () => new nn.LeakyReLU(), ELU: () => new nn.ELU(), CELU: () => new nn.CELU(),
  SELU: () => new nn.SELU(), GELU: () => new nn.GELU(), SiLU: () => new nn.SiLU(), Mish: () => new nn.Mish(),
  Hardswish: () => new nn.Hardswish(), Hardsigmoid: () => new nn.Hardsigmoid(), Sigmoid: () => new nn.Sigmoid(),
  Tanh: () => new nn.Tanh(), Softsign: () => new nn.Softsign(), Tanhshrink: () => new nn.Tanhshrink(),
  LogSigmoid: () => new nn.LogSigmoid(), Softplus: () => new nn.Softplus(), Hardtanh: () => new nn.Hardtanh(),
  ReLU6: () => new nn.ReLU6(), Threshold: () => new nn.Threshold(0.1, 20), Hardshrink: () => new nn.Hardshrink(),
  Softshrink: () => new nn.Softshrink(), GLU: () => new nn.GLU(), PReLU: () => new nn.PReLU(),
  Softmax: () => new nn.Softmax(1), Softmin: () => new nn.Softmin(1), LogSoftmax: () => new nn.LogSoftmax(1),
  Softmax2d: () => new nn.Softmax2d(),
  Sequential: () => new nn.Sequential(new nn.Linear(2, 2)), Flatten: () => new nn.Flatten(), Unflatten: () => new nn.Unflatten(1, [2, 3]),
  Dropout: () => new nn.Dropout(), Dropout1d: () => new nn.Dropout1d(), Dropout2d: () => new nn.Dropout2d(),
  Dropout3d: () => new nn.Dropout3d(), AlphaDropout: () => new nn.AlphaDropout(), FeatureAlphaDropout: () => new nn.FeatureAlphaDropout(),
  RReLU: () => new nn.RReLU(),
  MSELoss: () => new nn.MSELoss(), L1Loss: () => new nn.L1Loss(), SmoothL1Loss: () => new nn.SmoothL1Loss(),
  HuberLoss: () => new nn.HuberLoss(), KLDivLoss: () => new nn.KLDivLoss(), CrossEntropyLoss: () => new nn.CrossEntropyLoss(),
  NLLLoss: () => new nn.NLLLoss(), BCELoss: () => new nn.BCELoss(), BCEWithLogitsLoss: () => new nn.BCEWithLogitsLoss(),
  SoftMarginLoss: () => new nn.SoftMarginLoss(), HingeEmbeddingLoss: () => new nn.HingeEmbeddingLoss(),
  MultiLabelMarginLoss: () => new nn.MultiLabelMarginLoss(), MultiLabelSoftMarginLoss: () => new nn.MultiLabelSoftMarginLoss(),
  MultiMarginLoss: () => new nn.MultiMarginLoss(), PoissonNLLLoss: () => new nn.PoissonNLLLoss(),
  GaussianNLLLoss: () => new nn.GaussianNLLLoss(), MarginRankingLoss: () => new nn.MarginRankingLoss(),
  CosineEmbeddingLoss: () => new nn.CosineEmbeddingLoss(), TripletMarginLoss: () => new nn.TripletMarginLoss(),
  CTCLoss: () => new nn.CTCLoss(),
  Conv1d: () => new nn.Conv1d(1, 1, 1), Conv2d: () => new nn.Conv2d(1, 1, 1), Conv3d: () => new nn.Conv3d(1, 1, 1),
  ConvTranspose1d: () => new nn.ConvTranspose1d(1, 1, 1), ConvTranspose2d: () => new nn.ConvTranspose2d(1, 1, 1),
  ConvTranspose3d: () => new nn.ConvTranspose3d(1, 1, 1),
  MaxPool1d: () => new nn.MaxPool1d(2), MaxPool2d: () => new nn.MaxPool2d(2), MaxPool3d: () => new nn.MaxPool3d(2),
  AvgPool1d: () => new nn.AvgPool1d(2), AvgPool2d: () => new nn.AvgPool2d(2), AvgPool3d: () => new nn.AvgPool3d(2),
  AdaptiveAvgPool1d: () => new nn.AdaptiveAvgPool1d(2), AdaptiveAvgPool2d: () => new nn.AdaptiveAvgPool2d(2),
  AdaptiveAvgPool3d: () => new nn.AdaptiveAvgPool3d(2), AdaptiveMaxPool1d: () => new nn.AdaptiveMaxPool1d(2),
  AdaptiveMaxPool2d: () => new nn.AdaptiveMaxPool2d(2), AdaptiveMaxPool3d: () => new nn.AdaptiveMaxPool3d(2),
  BatchNorm1d: () => new nn.BatchNorm1d(2), BatchNorm2d: () => new nn.BatchNorm2d(2), BatchNorm3d: () => new nn.BatchNorm3d(2),
  InstanceNorm1d: () => new nn.InstanceNorm1d(2), InstanceNorm2d: () => new nn.InstanceNorm2d(2),
  InstanceNorm3d: () => new nn.InstanceNorm3d(2), LayerNorm: () => new nn.LayerNorm(2), GroupNorm: () => new nn.GroupNorm(1, 2),
  Embedding: () => new nn.Embedding(3, 2), EmbeddingBag: () => new nn.EmbeddingBag(3, 2),
  Upsample: () => new nn.Upsample({ scaleFactor: 2 }), UpsamplingNearest2d: () => new nn.UpsamplingNearest2d({ scaleFactor: 2 }),
  UpsamplingBilinear2d: () => new nn.UpsamplingBilinear2d({ scaleFactor: 2 }), PixelShuffle: () => new nn.PixelShuffle(2),
  PixelUnshuffle: () => new nn.PixelUnshuffle(2), Unfold: () => new nn.Unfold(2), Fold: () => new nn.Fold([4, 4], 2),
  RNN: () => new nn.RNN(2, 3), LSTM: () => new nn.LSTM(2, 3), GRU: () => new nn.GRU(2, 3),
  RNNCell: () => new nn.RNNCell(2, 3), LSTMCell: () => new nn.LSTMCell(2, 3), GRUCell: () => new nn.GRUCell(2, 3),
  MultiheadAttention: () => new nn.MultiheadAttention(4, 2), TransformerEncoderLayer: () => new nn.TransformerEncoderLayer(4, 2),
  TransformerEncoder: () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2), 1),
  TransformerDecoderLayer: () => new nn.TransformerDecoderLayer(4, 2),
  TransformerDecoder: () => new nn.TransformerDecoder(new nn.TransformerDecoderLayer(4, 2), 1),
  Transformer: () => new nn.Transformer(4, 2, { numEncoderLayers: 1, numDecoderLayers: 1 }),
  MaxUnpool1d: () => new nn.MaxUnpool1d(2), MaxUnpool2d: () => new nn.MaxUnpool2d(2), MaxUnpool3d: () => new nn.MaxUnpool3d(2),
  LPPool1d: () => new nn.LPPool1d(2, 2), LPPool2d: () => new nn.LPPool2d(2, 2), LPPool3d: () => new nn.LPPool3d(2, 2),
  FractionalMaxPool2d: () => new nn.FractionalMaxPool2d(2, { outputSize: 2 }),
  FractionalMaxPool3d: () => new nn.FractionalMaxPool3d(2, { outputRatio: 0.5 }),
  LocalResponseNorm: () => new nn.LocalResponseNorm(2), RMSNorm: () => new nn.RMSNorm(3),
  TripletMarginWithDistanceLoss: () => new nn.TripletMarginWithDistanceLoss(),
  PairwiseDistance: () => new nn.PairwiseDistance(), CosineSimilarity: () => new nn.CosineSimilarity(),
  ZeroPad1d: () => new nn.ZeroPad1d(1), ZeroPad2d: () => new nn.ZeroPad2d(1), ZeroPad3d: () => new nn.ZeroPad3d(1),
  ConstantPad1d: () => new nn.ConstantPad1d(1, 2), ConstantPad2d: () => new nn.ConstantPad2d(1, 2),
  ConstantPad3d: () => new nn.ConstantPad3d(1, 2), ReflectionPad1d: () => new nn.ReflectionPad1d(1),
  ReflectionPad2d: () => new nn.ReflectionPad2d(1), ReflectionPad3d: () => new nn.ReflectionPad3d(1),
  ReplicationPad1d: () => new nn.ReplicationPad1d(1), ReplicationPad2d: () => new nn.ReplicationPad2d(1),
  ReplicationPad3d: () => new nn.ReplicationPad3d(1), CircularPad1d: () => new nn.CircularPad1d(1),
  CircularPad2d: () => new nn.CircularPad2d(1), CircularPad3d: () => new nn.CircularPad3d(1),
  ChannelShuffle: () => new nn.ChannelShuffle(2),
};

// The arguments after the input that some modules' forward needs.
const FORWARD_EXTRA: Record<string, unknown[]> = { CTCLoss: [torch.ones(1, 2), [1], [1]] };
const forwardDisposed: Row[] = Object.entries(MODULES).map(([name, make]) =>
  [`nn.${name}.forward(disposed input)`, () => make().forward(disposed(), ...(FORWARD_EXTRA[name] ?? [disposed(), disposed()])), dead]);

const constructors: Row[] = [
  ['nn.Linear(-1, 2)', () => new nn.Linear(-1, 2), negative],
  ['nn.Linear(1e10, 1e10) (huge)', () => new nn.Linear(1e10, 1e10), /Storage size calculation overflowed with sizes=\[10000000000, 10000000000\]/],
  ...(hasCuda ? [] : [['nn.Linear(2, 3, { device: cuda }) without CUDA', () => new nn.Linear(2, 3, { device: 'cuda' }), /CUDA/] as Row]),
  ['nn.Bilinear(2, -1, 3)', () => new nn.Bilinear(2, -1, 3), negative],
  ['nn.Conv2d(3, 3, -1)', () => new nn.Conv2d(3, 3, -1), negative],
  ['nn.Conv2d(3, 4, 3, { groups: 2 })', () => new nn.Conv2d(3, 4, 3, { groups: 2 }), /in_channels must be divisible by groups/],
  ['nn.Conv2d(3, 3, 3, { padding: "bogus" })', () => new nn.Conv2d(3, 3, 3, { padding: 'bogus' as never }), /Invalid padding string 'bogus', should be one of \['valid', 'same'\]/],
  ['nn.Conv2d(3, 3, 3, { paddingMode: "bogus" })', () => new nn.Conv2d(3, 3, 3, { paddingMode: 'bogus' as never }), /padding_mode must be one of \['zeros', 'reflect', 'replicate', 'circular'\], but got padding_mode='bogus'/],
  ['nn.Conv1d(1, -1, 1)', () => new nn.Conv1d(1, -1, 1), negative],
  ['nn.BatchNorm1d(-1)', () => new nn.BatchNorm1d(-1), negative],
  ['nn.GroupNorm(2, 3)', () => new nn.GroupNorm(2, 3), /num_channels must be divisible by num_groups/],
  ['nn.Embedding(-1, 3)', () => new nn.Embedding(-1, 3), negative],
  ['nn.Embedding(10, 3, { paddingIdx: 20 })', () => new nn.Embedding(10, 3, { paddingIdx: 20 }), /Padding_idx must be within num_embeddings/],
  ['nn.RNN(-1, 3)', () => new nn.RNN(-1, 3), negative],
  ['nn.Sequential(5)', () => new nn.Sequential(5 as never), /number is not a Module subclass/],
  ['nn.ModuleList([a tensor])', () => new nn.ModuleList([torch.ones(1) as never]), /Tensor is not a Module subclass/],
  ['nn.LSTM(2, 3, { numLayers: 0 })', () => new nn.LSTM(2, 3, { numLayers: 0 }), /num_layers must be greater than zero/],
  ['nn.GRU(2, 3, { numLayers: 1.5 })', () => new nn.GRU(2, 3, { numLayers: 1.5 }), /numLayers must be an integer, got 1.5/],
  ['nn.FractionalMaxPool2d(2) without a size', () => new nn.FractionalMaxPool2d(2), /FractionalMaxPool2d requires specifying either an output size, or a pooling ratio/],
  ['nn.FractionalMaxPool3d(2, { outputRatio: 1.5 })', () => new nn.FractionalMaxPool3d(2, { outputRatio: 1.5 }), /output_ratio must be between 0 and 1 \(got 1.5\)/],
  ['nn.FractionalMaxPool3d(0, ...)', () => new nn.FractionalMaxPool3d(0, { outputSize: 2 }), /kernel_size must greater than 0, but got 0/],
  ['nn.TripletMarginWithDistanceLoss({ margin: 0 })', () => new nn.TripletMarginWithDistanceLoss({ margin: 0 }), /TripletMarginWithDistanceLoss: expected margin to be greater than 0, got 0 instead/],
  ['nn.RMSNorm(-1)', () => new nn.RMSNorm(-1), negative],
  ['nn.Module.loadStateDict(null)', () => new nn.Linear(2, 2).loadStateDict(null as never), /Expected state_dict to be dict-like, got null/],
  ['nn.LSTM(2, 3, { dropout: 2 })', () => new nn.LSTM(2, 3, { dropout: 2 }), /dropout should be a number in range \[0, 1\]/],
  ['nn.LSTMCell(2, -1)', () => new nn.LSTMCell(2, -1), /Trying to create tensor with negative dimension -4: \[-4, 2\]/],
  ['nn.MultiheadAttention(5, 2)', () => new nn.MultiheadAttention(5, 2), /embed_dim must be divisible by num_heads/],
  ['nn.TransformerEncoderLayer(4, 3)', () => new nn.TransformerEncoderLayer(4, 3), /embed_dim must be divisible by num_heads/],
  ['nn.TransformerDecoderLayer(4, 3)', () => new nn.TransformerDecoderLayer(4, 3), /embed_dim must be divisible by num_heads/],
  ['nn.TransformerDecoderLayer(4, 2, { activation: "tanh" })', () => new nn.TransformerDecoderLayer(4, 2, { activation: 'tanh' as never }), /activation should be relu\/gelu, not tanh/],
  ['nn.TransformerEncoder(layer, 1.5)', () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2), 1.5), /num_layers must be a non-negative integer, got 1.5/],
  ['nn.TransformerDecoder(5, 2)', () => new nn.TransformerDecoder(5 as never, 2), /expected an nn.Module for decoder_layer, got number/],
  ['nn.TransformerDecoder(layer, -1)', () => new nn.TransformerDecoder(new nn.TransformerDecoderLayer(4, 2), -1), /num_layers must be a non-negative integer, got -1/],
  ['nn.Transformer(5, 2)', () => new nn.Transformer(5, 2), /embed_dim must be divisible by num_heads/],
  ['nn.ParameterList([1])', () => new nn.ParameterList([1 as never]), /expected a Tensor or Parameter for ParameterList.append, got number/],
  ['nn.ParameterList(5)', () => new nn.ParameterList(5 as never), /ParameterList.extend should be called with an iterable, but got number/],
  ['nn.ParameterList([an int64 tensor])', () => new nn.ParameterList([torch.tensor([1n])]), /Only Tensors of floating point and complex dtype can require gradients/],
  ['nn.ParameterList.at(out of range)', () => new nn.ParameterList([torch.ones(1)]).at(1), /index 1 is out of range/],
  ['nn.ParameterList.forward (containers have none)', () => new nn.ParameterList().forward(), /ParameterList should not be called./],
  ['nn.ParameterDict(5)', () => new nn.ParameterDict(5 as never), /ParametersDict.update should be called with an iterable of key\/value pairs, but got number/],
  ['nn.ParameterDict({ "a.b": tensor })', () => new nn.ParameterDict({ 'a.b': torch.ones(1) }), /parameter name can't contain "."/],
  ['nn.ParameterDict({ a: 1 })', () => new nn.ParameterDict({ a: 1 as never }), /expected a Tensor or Parameter for ParameterDict key 'a', got number/],
  ['nn.ParameterDict.forward (containers have none)', () => new nn.ParameterDict().forward(), /ParameterDict should not be called./],
  ['nn.ReflectionPad2d(1.5)', () => new nn.ReflectionPad2d(1.5), /expected an integer or an array of integers for padding, got 1.5/],
  ['nn.ConstantPad1d([1, "2"], 0)', () => new nn.ConstantPad1d([1, '2'] as never, 0), /expected an integer or an array of integers for padding, got \[1,"2"\]/],
  ['nn.ZeroPad3d(null)', () => new nn.ZeroPad3d(null as never), /expected an integer or an array of integers for padding, got null/],
  ['nn.UninitializedParameter.shape', () => new nn.UninitializedParameter().shape, /Can't access the shape of an uninitialized parameter or buffer/],
  ['nn.UninitializedParameter.materialize(negative size)', () => new nn.UninitializedParameter().materialize([-1, 2]), /Trying to create tensor with negative dimension -1/],
  ['nn.Dropout(2)', () => new nn.Dropout(2), /dropout probability has to be between 0 and 1, but got 2/],
  ['nn.Dropout(-0.1)', () => new nn.Dropout(-0.1), /dropout probability has to be between 0 and 1, but got -0.1/],
  ['nn.Parameter(disposed)', () => new nn.Parameter(disposed()), dead],
  ['nn.Module.forward (not written)', () => new nn.Module().forward(), /Module \[Module\] is missing the required "forward" function/],
  ['nn.Module.loadStateDict(unexpected key)', () => new nn.Module().loadStateDict({ a: torch.ones(1) }), /Unexpected key\(s\) in state_dict: "a"/],
  ['nn.Module.loadStateDict(wrong shape)', () => new nn.Linear(2, 3).loadStateDict({ weight: torch.ones(5), bias: torch.ones(3) }), /size mismatch for weight: copying a param with shape torch.Size\(\[5\]\) from checkpoint, the shape in current model is torch.Size\(\[3, 2\]\)/],
  ['nn.Module.to("banana")', () => new nn.Linear(2, 3).to('banana'), /device type at start of device string: banana/],
  ['nn.Module.to(5)', () => new nn.Linear(2, 3).to(5 as never), /Module.to\(\): expected a dtype or a device, got 5/],
  ...(hasCuda ? [['nn.Linear.forward(a CUDA input, CPU weights)', () => new nn.Linear(2, 3).forward(torch.ones(4, 2).cuda()), /Expected all tensors to be on the same device|device/] as Row]
    : [['nn.Module.cuda() without CUDA', () => new nn.Linear(2, 3).cuda(), /CUDA/] as Row]),
  ['nn.parallel.DistributedDataParallel(5)', () => new nn.parallel.DistributedDataParallel(5 as never), /expected an nn.Module for DistributedDataParallel, got number/],
  ['nn.parallel.DistributedDataParallel without a process group', () => new nn.parallel.DistributedDataParallel(new nn.Linear(2, 2)), /Default process group has not been initialized, please make sure to call initProcessGroup/],
  ['nn.ModuleList.forward (containers have none)', () => new nn.ModuleList([new nn.ReLU()]).forward(torch.ones(1)), /is missing the required "forward" function/],
  ['nn.ModuleDict.forward (containers have none)', () => new nn.ModuleDict({ a: new nn.ReLU() }).forward(torch.ones(1)), /is missing the required "forward" function/],
];

const forwards: Row[] = [
  ['nn.Linear.forward(wrong width)', () => new nn.Linear(2, 3).forward(torch.ones(4, 5)), /mat1 and mat2 shapes cannot be multiplied \(4x5 and 2x3\)/],
  ['nn.Linear.forward(float64 input)', () => new nn.Linear(2, 3).forward(torch.ones(4, 2, { dtype: torch.float64 })), /mat1 and mat2 must have the same dtype, but got Double and Float/],
  ['nn.Linear.forward(undefined)', () => new nn.Linear(2, 3).forward(undefined as never), /linear\(\) received an invalid combination of arguments - got \(undefined, Tensor, Tensor\)/],
  ['nn.Linear.forward([1, 2])', () => new nn.Linear(2, 3).forward([1, 2] as never), /got \(number\[\], Tensor, Tensor\)/],
  ['nn.Conv2d.forward(2-d input)', () => new nn.Conv2d(3, 3, 3).forward(torch.ones(3, 3)), /Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of size: \[3, 3\]/],
  ['nn.Conv2d.forward(input smaller than the kernel)', () => new nn.Conv2d(3, 3, 3).forward(torch.ones(1, 3, 2, 2)), /Kernel size can't be greater than actual input size/],
  ['nn.Conv2d.forward(empty batch of the wrong channels)', () => new nn.Conv2d(3, 3, 1).forward(torch.ones(0, 2, 4, 4)), /expected input\[0, 2, 4, 4\] to have 3 channels, but got 2 channels instead/],
  ['nn.MaxPool2d.forward(2-d input)', () => new nn.MaxPool2d(2).forward(torch.ones(1, 1)), /non-empty 3D or 4D \(batch mode\) tensor expected for input/],
  ['nn.BatchNorm1d.forward(wrong features)', () => new nn.BatchNorm1d(3).forward(torch.ones(2, 4)), /running_mean should contain 4 elements not 3/],
  ['nn.LayerNorm.forward(wrong last dim)', () => new nn.LayerNorm(3).forward(torch.ones(2, 4)), /Given normalized_shape=\[3\], expected input with shape \[\*, 3\], but got input of size\[2, 4\]/],
  ['nn.Embedding.forward(index out of range)', () => new nn.Embedding(10, 3).forward(torch.tensor([11n])), /index out of range in self/],
  ['nn.Embedding.forward(float indices)', () => new nn.Embedding(10, 3).forward(torch.tensor([1.5])), /Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int/],
  ['nn.LSTM.forward(wrong input size)', () => new nn.LSTM(2, 3).forward(torch.ones(5, 4, 7)), /input.size\(-1\) must be equal to input_size. Expected 2, got 7/],
  ['nn.LSTM.forward(1-d input)', () => new nn.LSTM(2, 3).forward(torch.ones(5)), /LSTM: Expected input to be 2D or 3D, got 1D instead/],
  ['nn.MultiheadAttention.forward(wrong embedding)', () => new nn.MultiheadAttention(4, 2).forward(torch.ones(3, 2, 5), torch.ones(3, 2, 5), torch.ones(3, 2, 5)), /was expecting embedding dimension of 4, but got 5/],
  ['nn.TransformerDecoderLayer.forward(tgtIsCausal without tgtMask)', () => new nn.TransformerDecoderLayer(4, 2).forward(torch.ones(3, 2, 4), torch.ones(3, 2, 4), { tgtIsCausal: true }), /Need attn_mask if specifying the is_causal hint/],
  ['nn.TransformerDecoder.forward(wrong embedding)', () => new nn.TransformerDecoder(new nn.TransformerDecoderLayer(4, 2), 1).forward(torch.ones(3, 2, 5), torch.ones(3, 2, 4)), /was expecting embedding dimension of 4, but got 5/],
  ['nn.Transformer.forward(batch sizes differ)', () => new nn.Transformer(4, 2, { numEncoderLayers: 1, numDecoderLayers: 1 }).forward(torch.ones(3, 2, 4), torch.ones(3, 1, 4)), /the batch number of src and tgt must be equal/],
  ['nn.Transformer.forward(wrong d_model)', () => new nn.Transformer(4, 2, { numEncoderLayers: 1, numDecoderLayers: 1 }).forward(torch.ones(3, 2, 5), torch.ones(3, 2, 5)), /the feature number of src and tgt must be equal to d_model/],
  ['nn.LPPool2d.forward(1-d input)', () => new nn.LPPool2d(2, 2).forward(torch.ones(4)), /Dimension out of range \(expected to be in range of \[-1, 0\], but got -3\)/],
  ['nn.LocalResponseNorm.forward(2-d input)', () => new nn.LocalResponseNorm(2).forward(torch.ones(2, 3)), /Expected 3D or higher dimensionality +input \(got 2 dimensions\)/],
  ['nn.RMSNorm.forward(wrong last dim)', () => new nn.RMSNorm(3).forward(torch.ones(2, 4)), /Given normalized_shape=\[3\], expected input with shape \[\*3\], but got input of size\[2, 4\]/],
  ['nn.FractionalMaxPool2d.forward(output too large)', () => new nn.FractionalMaxPool2d(2, { outputSize: 4 }).forward(torch.ones(1, 1, 4, 4)), /fractional_max_pool2d\(\): pool height 2 too large relative to input height 4/],
  ['nn.TripletMarginWithDistanceLoss.forward(mismatched dims)', () => new nn.TripletMarginWithDistanceLoss().forward(torch.ones(2, 3), torch.ones(2, 3), torch.ones(3)), /expected to have the same number of dimensions, but got: anchor 2D, positive 2D, and negative 1D inputs/],
  ['nn.PairwiseDistance.forward(sizes that do not broadcast)', () => new nn.PairwiseDistance().forward(torch.ones(2, 3), torch.ones(2, 4)), /The size of tensor a \(3\) must match the size of tensor b \(4\)/],
  ['nn.CosineSimilarity.forward(sizes that do not broadcast)', () => new nn.CosineSimilarity().forward(torch.ones(2, 3), torch.ones(2, 4)), /The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 1/],
  ['nn.MaxUnpool2d.forward(indices out of range)', () => new nn.MaxUnpool2d(2).forward(torch.ones(1, 1, 2, 2), torch.tensor([[[[0n, 1n], [2n, 100n]]]])), /Found an invalid max index: 100 \(output volumes are of size 4x4\)/],
  ['nn.MaxUnpool2d.forward(output size out of range)', () => new nn.MaxUnpool2d(2).forward(torch.ones(1, 1, 2, 2), torch.zeros(1, 1, 2, 2, { dtype: torch.int64 }), [9, 9]), /invalid output_size "\[9, 9\]" \(dim 0 must be between 2 and 6\)/],
  ['nn.MaxUnpool1d.forward(float indices)', () => new nn.MaxUnpool1d(2).forward(torch.ones(1, 1, 3), torch.ones(1, 1, 3)), /elements in indices should be type int64 but got: Float/],
  ['nn.MaxUnpool3d.forward(output size of the wrong length)', () => new nn.MaxUnpool3d(2).forward(torch.ones(1, 1, 2, 2, 2), torch.zeros(1, 1, 2, 2, 2, { dtype: torch.int64 }), [4, 4]), /output_size should be a sequence containing 3 or 5 elements, but it has a length of '2'/],
  ['nn.ReflectionPad1d.forward(padding as large as the input)', () => new nn.ReflectionPad1d(3).forward(torch.ones(1, 1, 3)), /Argument #4: Padding size should be less than the corresponding input dimension, but got: padding \(3, 3\) at dimension 2 of input \[1, 1, 3\]/],
  ['nn.ReflectionPad2d.forward(5-d input)', () => new nn.ReflectionPad2d(1).forward(torch.ones(1, 1, 1, 3, 3)), /Padding size 4 is not supported for 5D input tensor\./],
  ['nn.ReflectionPad3d.forward(padding larger than the input)', () => new nn.ReflectionPad3d(2).forward(torch.ones(1, 2, 2, 3)), /Padding size should be less than the corresponding input dimension, but got: padding \(2, 2\) at dimension 2 of input \[1, 2, 2, 3\]/],
  ['nn.ReplicationPad1d.forward(1-d input)', () => new nn.ReplicationPad1d(1).forward(torch.ones(3)), /Padding size 2 is not supported for 1D input tensor\./],
  ['nn.ReplicationPad2d.forward(2-d input)', () => new nn.ReplicationPad2d(1).forward(torch.ones(3, 3)), /Padding size 4 is not supported for 2D input tensor\./],
  ['nn.ReplicationPad3d.forward(3-d input)', () => new nn.ReplicationPad3d(1).forward(torch.ones(3, 3, 3)), /Padding size 6 is not supported for 3D input tensor\./],
  ['nn.CircularPad1d.forward(1-d input)', () => new nn.CircularPad1d(1).forward(torch.ones(3)), /expected 2D or 3D input \(got 1D input\)/],
  ['nn.CircularPad2d.forward(padding wrapping more than once)', () => new nn.CircularPad2d(4).forward(torch.ones(1, 3, 3)), /Padding value causes wrapping around more than once\./],
  ['nn.CircularPad3d.forward(6-d input)', () => new nn.CircularPad3d(1).forward(torch.ones(1, 1, 1, 3, 3, 3)), /expected 4D or 5D input \(got 6D input\)/],
  ['nn.ConstantPad1d.forward(odd padding length)', () => new nn.ConstantPad1d([1, 2, 3], 0).forward(torch.ones(1, 3)), /Padding length must be divisible by 2/],
  ['nn.ConstantPad2d.forward(1-d input)', () => new nn.ConstantPad2d(1, 0).forward(torch.ones(3)), /Padding length should be less than or equal to two times the input dimension but got padding length 4 and input of dimension 1/],
  ['nn.ConstantPad3d.forward(huge padding)', () => new nn.ConstantPad3d(1e12, 0).forward(torch.ones(1, 1, 1)), /can't allocate memory|Storage size calculation overflowed/],
  ['nn.ZeroPad1d.forward(odd padding length)', () => new nn.ZeroPad1d([1]).forward(torch.ones(1, 3)), /Padding length must be divisible by 2/],
  ['nn.ZeroPad2d.forward(1-d input)', () => new nn.ZeroPad2d(1).forward(torch.ones(3)), /Padding length should be less than or equal to two times the input dimension but got padding length 4 and input of dimension 1/],
  ['nn.ZeroPad3d.forward(2-d input)', () => new nn.ZeroPad3d(1).forward(torch.ones(3, 3)), /Padding length should be less than or equal to two times the input dimension but got padding length 6 and input of dimension 2/],
  ['nn.ChannelShuffle.forward(channels not divisible by groups)', () => new nn.ChannelShuffle(3).forward(torch.ones(1, 4, 2, 2)), /Number of channels must be divisible by groups\. Got 4 channels and 3 groups\./],
  ['nn.ChannelShuffle.forward(1-d input)', () => new nn.ChannelShuffle(2).forward(torch.ones(4)), /channel_shuffle expects input with > 2 dims, but got input with sizes \[4\]/],
  ['nn.LazyLinear.forward(0-d input)', () => new nn.LazyLinear(2).forward(torch.tensor(1)), /LazyLinear: expected an input with at least 1 dimension to infer in_features, got a 0-d tensor/],
  ['nn.LazyLinear.forward(negative out_features)', () => new nn.LazyLinear(-1).forward(torch.ones(1, 2)), negative],
  ['nn.LazyLinear.forward(another width after the first)', () => { const m = new nn.LazyLinear(2); m.forward(torch.ones(1, 4)); return m.forward(torch.ones(1, 5)); }, /mat1 and mat2 shapes cannot be multiplied \(1x5 and 4x2\)/],
  ['nn.Sequential.forward(mismatched layers)', () => new nn.Sequential(new nn.Linear(2, 3), new nn.Linear(4, 5)).forward(torch.ones(1, 2)), /mat1 and mat2 shapes cannot be multiplied \(1x3 and 4x5\)/],
  ['nn.Flatten.forward(dim out of range)', () => new nn.Flatten(5).forward(torch.ones(2)), /Dimension out of range/],
  ['nn.Unflatten.forward(sizes that do not multiply up)', () => new nn.Unflatten(1, [2, 3]).forward(torch.ones(2, 5)), /Provided sizes \[2, 3\] don't multiply up to the size of dim 1 \(5\)/],
  ['nn.Softmax.forward(dim out of range)', () => new nn.Softmax(5).forward(torch.ones(2)), /Dimension out of range \(expected to be in range of \[-1, 0\], but got 5\)/],
  ['nn.CrossEntropyLoss.forward(target out of bounds)', () => new nn.CrossEntropyLoss().forward(torch.ones(2, 3), torch.tensor([5n, 0n])), /Target 5 is out of bounds/],
  ['nn.CrossEntropyLoss.forward(float targets of the wrong shape)', () => new nn.CrossEntropyLoss().forward(torch.ones(2, 3), torch.tensor([1.5, 0])), /expected scalar type Long but found Float|shape/],
  ['nn.NLLLoss.forward(negative target)', () => new nn.NLLLoss().forward(torch.ones(2, 3), torch.tensor([-5n, 0n])), /Target -5 is out of bounds/],
  ['nn.BCELoss.forward(input above 1)', () => new nn.BCELoss().forward(torch.ones(2).mul(2), torch.ones(2)), /all elements of input should be between 0 and 1/],
  ['nn.MSELoss.forward(shapes that do not broadcast)', () => new nn.MSELoss().forward(torch.ones(2), torch.ones(3)), /The size of tensor a \(2\) must match the size of tensor b \(3\)/],
];

const functional: Row[] = [
  ['nn.functional.relu(5)', () => F.relu(5), /relu\(\) received an invalid combination of arguments - got \(number\)/],
  ['nn.functional.softmax(dim out of range)', () => F.softmax(torch.ones(2), 5), /Dimension out of range/],
  ['nn.functional.pad(odd pad length)', () => F.pad(torch.ones(2), [1]), /Padding length must be divisible by 2/],
  ['nn.functional.pad(huge)', () => F.pad(torch.ones(2), [1e12, 1e12]), /can't allocate memory/],
  ['nn.functional.oneHot(class >= numClasses)', () => F.oneHot(torch.tensor([5n]), 3), /Class values must be smaller than num_classes/],
  ['nn.functional.oneHot(negative class)', () => F.oneHot(torch.tensor([-1n])), /Class values must be non-negative/],
  ['nn.functional.embedding(index out of range)', () => F.embedding(torch.tensor([100n]), torch.ones(3, 3)), /index out of range in self/],
  ['nn.functional.scaledDotProductAttention(mismatched)', () => F.scaledDotProductAttention(torch.ones(2, 3), torch.ones(2, 4), torch.ones(2, 4)), /shapes cannot be multiplied/],
  ['nn.functional.dropout(p = 1.5)', () => F.dropout(torch.ones(2), 1.5), /dropout probability has to be between 0 and 1, but got 1.5/],
  ['nn.functional.linear(wrong width)', () => F.linear(torch.ones(2, 3), torch.ones(4, 2)), /mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x4\)/],
  ['nn.functional.conv2d(channels mismatch)', () => F.conv2d(torch.ones(1, 2, 4, 4), torch.ones(1, 3, 1, 1)), /expected input\[1, 2, 4, 4\] to have 3 channels/],
  ['nn.functional.maxUnpool2d(output size of the wrong length)', () => F.maxUnpool2d(torch.ones(1, 1, 2, 2), torch.zeros(1, 1, 2, 2, { dtype: torch.int64 }), 2, { outputSize: [4] }), /output_size should be a sequence containing 2 or 4 elements, but it has a length of '1'/],
  ['nn.functional.maxPool2dWithIndices(2-d input)', () => F.maxPool2dWithIndices(torch.ones(1, 1), 2), /non-empty 3D or 4D \(batch mode\) tensor expected for input/],
  ['nn.functional.adaptiveMaxPool1dWithIndices(4-d input)', () => F.adaptiveMaxPool1dWithIndices(torch.ones(1, 1, 2, 2), 2), /Expected 2 to 3 dimensions, but got 4-dimensional tensor for argument #1 'self' \(while checking arguments for adaptive_max_pool1d\)/],
  ['nn.functional.fractionalMaxPool2dWithIndices(no size)', () => F.fractionalMaxPool2dWithIndices(torch.ones(1, 1, 4, 4), 2), /fractional_max_pool2d requires specifying either an output_size or an output_ratio/],
  ['nn.functional.fractionalMaxPool3dWithIndices(no size)', () => F.fractionalMaxPool3dWithIndices(torch.ones(1, 1, 4, 4, 4), 2), /fractional_max_pool3d requires specifying either an output_size or an output_ratio/],
  ['nn.functional.lpPool1d(kernel larger than the input)', () => F.lpPool1d(torch.ones(1, 1, 4), 2, 5), /Given input size: \(1x1x4\)\. Calculated output size: \(1x1x0\)\. Output size is too small/],
  ['nn.functional.localResponseNorm(2-d input)', () => F.localResponseNorm(torch.ones(2, 3), 2), /Expected 3D or higher dimensionality +input \(got 2 dimensions\)/],
  ['nn.functional.rmsNorm(wrong last dim)', () => F.rmsNorm(torch.ones(2, 4), [3]), /Given normalized_shape=\[3\], expected input with shape \[\*3\]/],
  ['nn.functional.affineGrid(integer theta)', () => F.affineGrid(torch.ones(1, 2, 3, { dtype: torch.int64 }), [1, 1, 2, 2]), /Expected theta to have floating point type, but got torch.int64/],
  ['nn.functional.gridSample(mode "area")', () => F.gridSample(torch.ones(1, 1, 2, 2), torch.zeros(1, 1, 1, 2), { mode: 'area' as never }), /expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: 'area'/],
  ['nn.functional.gridSample(grid of the wrong rank)', () => F.gridSample(torch.ones(1, 1, 2, 2), torch.zeros(1, 2, 2)), /grid_sampler\(\): expected 4D input and grid with same number of dimensions, but got input with sizes \[1, 1, 2, 2\] and grid with sizes \[1, 2, 2\]/],
  ['nn.functional.gumbelSoftmax(dim out of range)', () => F.gumbelSoftmax(torch.ones(2, 3), { dim: 5 }), /Dimension out of range/],
  ['nn.functional.tripletMarginWithDistanceLoss(margin 0)', () => F.tripletMarginWithDistanceLoss(torch.ones(2), torch.ones(2), torch.ones(2), { margin: 0 }), /margin must be greater than 0, got 0/],
  ['nn.functional.crossEntropy(batch mismatch)', () => F.crossEntropy(torch.ones(2, 3), torch.tensor([0n])), /Expected input batch_size \(2\) to match target batch_size \(1\)/],
];

// Every nn.functional function with a disposed input; the arguments after it that some need.
const FUNCTIONAL_EXTRA: Record<string, unknown[]> = {
  pad: [[1, 1]], oneHot: [], softmax: [0], logSoftmax: [0], softmin: [0], glu: [], normalize: [], pdist: [],
  pixelShuffle: [2], pixelUnshuffle: [2], channelShuffle: [2], nativeChannelShuffle: [2], threshold: [0.5, 0], threshold_: [0.5, 0],
  layerNorm: [[3]], groupNorm: [1], ctcLoss: [torch.ones(1, 2), [1], [1]], dropout2d: [], prelu: [torch.ones(1)],
  maxPool1d: [2], maxPool2d: [2], maxPool3d: [2], maxUnpool1d: [disposed(), 2], maxUnpool2d: [disposed(), 2], maxUnpool3d: [disposed(), 2], avgPool1d: [2], avgPool2d: [2], avgPool3d: [2],
  adaptiveAvgPool1d: [2], adaptiveAvgPool2d: [2], adaptiveAvgPool3d: [2], adaptiveMaxPool1d: [2], adaptiveMaxPool2d: [2],
  adaptiveMaxPool3d: [2], interpolate: [{ scaleFactor: 2 }], upsample: [{ scaleFactor: 2 }], upsampleNearest: [{ scaleFactor: 2 }],
  upsampleBilinear: [{ scaleFactor: 2 }], unfold: [2], fold: [[4, 4], 2], cosineSimilarity: [torch.ones(2, 3)],
  pairwiseDistance: [torch.ones(2, 3)],
  maxPool1dWithIndices: [2], maxPool2dWithIndices: [2], maxPool3dWithIndices: [2], adaptiveMaxPool1dWithIndices: [2],
  adaptiveMaxPool2dWithIndices: [2], adaptiveMaxPool3dWithIndices: [2], fractionalMaxPool2d: [2, { outputSize: 2 }],
  fractionalMaxPool3d: [2, { outputSize: 2 }], fractionalMaxPool2dWithIndices: [2, { outputSize: 2 }],
  fractionalMaxPool3dWithIndices: [2, { outputSize: 2 }], lpPool1d: [2, 2], lpPool2d: [2, 2], lpPool3d: [2, 2],
  localResponseNorm: [2], rmsNorm: [[3]], affineGrid: [[1, 1, 2, 2]], gumbelSoftmax: [], gridSample: [disposed()],
};
const SINGLE_INPUT = /^(relu|sigmoid|tanh|silu|gelu|leakyRelu|elu|softplus|hardtanh|logsigmoid|celu|selu|hardshrink|rrelu|softshrink|hardsigmoid|hardswish|mish|relu6|softsign|tanhshrink|dropout|alphaDropout|featureAlphaDropout|dropout[123]d)_?$/;
const functionalDisposed: Row[] = Object.keys(nn.functional).map((name) => {
  const rest = FUNCTIONAL_EXTRA[name] ?? (SINGLE_INPUT.test(name) ? [] : [disposed(), disposed()]);
  return [`nn.functional.${name}(disposed)`, () => F[name](disposed(), ...rest), dead];
});

const init: Row[] = [
  ...Object.keys(nn.init).filter((n) => n.endsWith('_')).map((name): Row =>
    [`nn.init.${name}(disposed)`, () => (nn.init as unknown as Record<string, (t: unknown, ...a: unknown[]) => unknown>)[name](disposed(), 0.5), dead]),
  ['nn.init.kaimingUniform_(1-d)', () => nn.init.kaimingUniform_(torch.ones(2)), /Fan in and fan out can not be computed for tensor with fewer than 2 dimensions/],
  ['nn.init.xavierUniform_(1-d)', () => nn.init.xavierUniform_(torch.ones(2)), /fewer than 2 dimensions/],
  ['nn.init.orthogonal_(1-d)', () => nn.init.orthogonal_(torch.ones(2)), /Only tensors with 2 or more dimensions are supported/],
  ['nn.init.calculateGain("bogus")', () => nn.init.calculateGain('bogus' as never), /Unsupported nonlinearity bogus/],
  ['nn.init.calculateFanInAndFanOut(1-d)', () => nn.init.calculateFanInAndFanOut(torch.ones(2)), /fewer than 2 dimensions/],
  ['nn.init.constant_(tensor, "x")', () => nn.init.constant_(torch.ones(2), 'x' as never), /fill_\(\) received an invalid combination of arguments - got \(string\)/],
];

const utils: Row[] = [
  ['nn.utils.clipGradNorm_(disposed parameter)', () => nn.utils.clipGradNorm_([disposed()], 1), dead],
  ['nn.utils.clipGradValue_(disposed parameter)', () => nn.utils.clipGradValue_([disposed()], 1), dead],
  ['nn.utils.parametersToVector(disposed)', () => nn.utils.parametersToVector([disposed()]), dead],
  ['nn.utils.vectorToParameters(disposed vector)', () => nn.utils.vectorToParameters(disposed(), [torch.ones(2)]), dead],
];

const rows = [...forwardDisposed, ...constructors, ...forwards, ...functional, ...functionalDisposed, ...init, ...utils];

const SKIPS: Record<string, string> = {
  'nn.Identity': 'returns its input untouched (a disposed input comes back as it went in)',
  'nn.functional': 'its functions: the nn.functional.* names', 'nn.init': 'its functions: the nn.init.* names',
  'nn.utils': 'its functions: the nn.utils.* names',
  'nn.parallel': 'its names: the nn.parallel.* rows',
  'nn.deepCopy': 'copies any module; covered through nn.Module rows',
};

describe('bad input to torch.nn: a JS Error naming what was wrong', () => {
  itThrowsForEachRow(rows);
  itStillComputes();
});

describe('every public name of torch.nn has a row or a reason', () => {
  it('nn.*, nn.functional.*, nn.init.*, nn.utils.*', () => {
    expect(uncovered('nn', nn, rows, SKIPS)).toEqual([]);
    expect(uncovered('nn.functional', nn.functional, rows, SKIPS)).toEqual([]);
    expect(uncovered('nn.init', nn.init, rows, SKIPS)).toEqual([]);
    expect(uncovered('nn.utils', nn.utils, rows, SKIPS)).toEqual([]);
    expect(uncovered('nn.parallel', nn.parallel, rows, SKIPS)).toEqual([]);
  });
});
