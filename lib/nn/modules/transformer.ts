// nn.TransformerEncoderLayer/Encoder, nn.TransformerDecoderLayer/Decoder and nn.Transformer, as
// PyTorch composes them (torch/nn/modules/transformer.py).
import type { Tensor } from '../../tensor';
import { Module, deepCopy } from '../module';
import { Linear, type FactoryOptions } from './linear';
import { MultiheadAttention } from './attention';
import { Dropout } from './dropout';
import { LayerNorm } from './normalization';
import { ModuleList } from './container';
import * as F from '../functional';
import * as init from '../init';
import { full, triu } from '../../generated/functions';

export interface TransformerEncoderLayerOptions extends FactoryOptions {
  dimFeedforward?: number;
  dropout?: number;
  activation?: 'relu' | 'gelu' | ((x: Tensor) => Tensor);
  layerNormEps?: number;
  batchFirst?: boolean;
  normFirst?: boolean;
  bias?: boolean;
}

export interface EncoderCallOptions {
  srcMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
}

export class TransformerEncoderLayer extends Module {
  selfAttn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  normFirst: boolean;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  private readonly _activation: (x: Tensor) => Tensor;

  constructor(dModel: number, nhead: number, options: TransformerEncoderLayerOptions = {}) {
    super();
    const { dimFeedforward = 2048, dropout = 0.1, activation = 'relu', layerNormEps = 1e-5, batchFirst = false,
      normFirst = false, bias = true, ...factory } = options;
    this.selfAttn = new MultiheadAttention(dModel, nhead, { dropout, bias, batchFirst, ...factory });
    this.linear1 = new Linear(dModel, dimFeedforward, { bias, ...factory });
    this.dropout = new Dropout(dropout);
    this.linear2 = new Linear(dimFeedforward, dModel, { bias, ...factory });
    this.normFirst = normFirst;
    this.norm1 = new LayerNorm(dModel, { eps: layerNormEps, bias, ...factory });
    this.norm2 = new LayerNorm(dModel, { eps: layerNormEps, bias, ...factory });
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    this._activation = activation === 'relu' ? (x) => F.relu(x) : activation === 'gelu' ? (x) => F.gelu(x) : activation;
  }

  override forward(src: Tensor, options: EncoderCallOptions = {}): Tensor {
    const sa = (x: Tensor) => this.dropout1.forward(this.selfAttn.forward(x, x, x,
      { attnMask: options.srcMask ?? null, keyPaddingMask: options.srcKeyPaddingMask ?? null, needWeights: false })[0]);
    const ff = (x: Tensor) => this.dropout2.forward(this.linear2.forward(this.dropout.forward(this._activation(this.linear1.forward(x)))));
    if (this.normFirst) {
      const x = src.add(sa(this.norm1.forward(src)));
      return x.add(ff(this.norm2.forward(x)));
    }
    const x = this.norm1.forward(src.add(sa(src)));
    return this.norm2.forward(x.add(ff(x)));
  }
}

/** numLayers copies of a layer (the same initial weights), as PyTorch's _get_clones deep-copies it. */
function clones(layer: Module, numLayers: number, what: string): ModuleList {
  if (!(layer instanceof Module)) throw new TypeError(`expected an nn.Module for ${what}, got ${typeof layer}`);
  if (!Number.isInteger(numLayers) || numLayers < 0) throw new Error(`num_layers must be a non-negative integer, got ${numLayers}`);
  return new ModuleList(Array.from({ length: numLayers }, () => deepCopy(layer)));
}

export class TransformerEncoder extends Module {
  layers: ModuleList;
  norm: Module | null;

  /** numLayers copies of encoderLayer (same initial weights, as PyTorch's deepcopy). */
  constructor(encoderLayer: TransformerEncoderLayer, readonly numLayers: number, options: { norm?: Module | null } = {}) {
    super();
    this.layers = clones(encoderLayer, numLayers, 'encoder_layer');
    this.norm = options.norm ?? null;
  }

  /** forward(src, { mask, srcKeyPaddingMask }) as PyTorch's (srcMask is accepted for mask too). */
  override forward(src: Tensor, options: EncoderCallOptions & { mask?: Tensor | null } = {}): Tensor {
    const layerOptions = { srcMask: options.mask ?? options.srcMask ?? null, srcKeyPaddingMask: options.srcKeyPaddingMask ?? null };
    let x = src;
    for (const layer of this.layers) x = (layer as TransformerEncoderLayer).forward(x, layerOptions);
    return this.norm ? (this.norm.forward(x) as Tensor) : x;
  }
}

/** The activation of a decoder layer: PyTorch's names, a function, or a module (then registered as a child, as in PyTorch). */
export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor) | Module;

export interface TransformerDecoderLayerOptions extends Omit<TransformerEncoderLayerOptions, 'activation'> {
  activation?: TransformerActivation;
}

export interface DecoderCallOptions {
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
  /** A hint that tgtMask is causal; the mask is still what is applied (and is required, as in PyTorch). */
  tgtIsCausal?: boolean | null;
  memoryIsCausal?: boolean;
}

const activationOf = (a: TransformerActivation): ((x: Tensor) => Tensor) | Module => {
  if (a === 'relu') return (x) => F.relu(x);
  if (a === 'gelu') return (x) => F.gelu(x);
  if (typeof a === 'function' || a instanceof Module) return a;
  throw new Error(`activation should be relu/gelu, not ${String(a)}`);
};

/** PyTorch checks the is_causal hint this way; the math then uses the mask itself. */
function checkCausalHint(isCausal: boolean | null | undefined, mask: Tensor | null | undefined): void {
  if (isCausal && !mask) {
    throw new Error('Need attn_mask if specifying the is_causal hint. You may use the Transformer module method `generate_square_subsequent_mask` to create this mask.');
  }
}

export class TransformerDecoderLayer extends Module {
  // Declared in PyTorch's registration order, which is the state dict's.
  selfAttn: MultiheadAttention;
  multiheadAttn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  normFirst: boolean;
  norm1: LayerNorm;
  norm2: LayerNorm;
  norm3: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  dropout3: Dropout;
  activation: ((x: Tensor) => Tensor) | Module;

  constructor(dModel: number, nhead: number, options: TransformerDecoderLayerOptions = {}) {
    super();
    const { dimFeedforward = 2048, dropout = 0.1, activation = 'relu', layerNormEps = 1e-5, batchFirst = false,
      normFirst = false, bias = true, ...factory } = options;
    this.selfAttn = new MultiheadAttention(dModel, nhead, { dropout, batchFirst, bias, ...factory });
    this.multiheadAttn = new MultiheadAttention(dModel, nhead, { dropout, batchFirst, bias, ...factory });
    this.linear1 = new Linear(dModel, dimFeedforward, { bias, ...factory });
    this.dropout = new Dropout(dropout);
    this.linear2 = new Linear(dimFeedforward, dModel, { bias, ...factory });
    this.normFirst = normFirst;
    this.norm1 = new LayerNorm(dModel, { eps: layerNormEps, bias, ...factory });
    this.norm2 = new LayerNorm(dModel, { eps: layerNormEps, bias, ...factory });
    this.norm3 = new LayerNorm(dModel, { eps: layerNormEps, bias, ...factory });
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    this.dropout3 = new Dropout(dropout);
    this.activation = activationOf(activation);
  }

  override forward(tgt: Tensor, memory: Tensor, options: DecoderCallOptions = {}): Tensor {
    const o = options;
    checkCausalHint(o.tgtIsCausal, o.tgtMask);
    checkCausalHint(o.memoryIsCausal, o.memoryMask);
    const act = (x: Tensor) => (this.activation instanceof Module ? this.activation.forward(x) as Tensor : this.activation(x));
    const sa = (x: Tensor) => this.dropout1.forward(this.selfAttn.forward(x, x, x,
      { attnMask: o.tgtMask ?? null, keyPaddingMask: o.tgtKeyPaddingMask ?? null, needWeights: false })[0]);
    const mha = (x: Tensor) => this.dropout2.forward(this.multiheadAttn.forward(x, memory, memory,
      { attnMask: o.memoryMask ?? null, keyPaddingMask: o.memoryKeyPaddingMask ?? null, needWeights: false })[0]);
    const ff = (x: Tensor) => this.dropout3.forward(this.linear2.forward(this.dropout.forward(act(this.linear1.forward(x)))));
    let x = tgt;
    if (this.normFirst) {
      x = x.add(sa(this.norm1.forward(x)));
      x = x.add(mha(this.norm2.forward(x)));
      return x.add(ff(this.norm3.forward(x)));
    }
    x = this.norm1.forward(x.add(sa(x)));
    x = this.norm2.forward(x.add(mha(x)));
    return this.norm3.forward(x.add(ff(x)));
  }
}

export class TransformerDecoder extends Module {
  layers: ModuleList;
  norm: Module | null;

  /** numLayers copies of decoderLayer (same initial weights, as PyTorch's deepcopy). */
  constructor(decoderLayer: TransformerDecoderLayer, readonly numLayers: number, options: { norm?: Module | null } = {}) {
    super();
    this.layers = clones(decoderLayer, numLayers, 'decoder_layer');
    this.norm = options.norm ?? null;
  }

  override forward(tgt: Tensor, memory: Tensor, options: DecoderCallOptions = {}): Tensor {
    let x = tgt;
    for (const layer of this.layers) x = (layer as TransformerDecoderLayer).forward(x, memory, options);
    return this.norm ? (this.norm.forward(x) as Tensor) : x;
  }
}

export interface TransformerOptions extends FactoryOptions {
  numEncoderLayers?: number;
  numDecoderLayers?: number;
  dimFeedforward?: number;
  dropout?: number;
  activation?: 'relu' | 'gelu' | ((x: Tensor) => Tensor);
  customEncoder?: Module | null;
  customDecoder?: Module | null;
  layerNormEps?: number;
  batchFirst?: boolean;
  normFirst?: boolean;
  bias?: boolean;
}

export interface TransformerCallOptions extends DecoderCallOptions {
  srcMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
  srcIsCausal?: boolean | null;
}

/** nn.Transformer: an encoder and a decoder stack, each with a final LayerNorm, xavier_uniform_ on every matrix. */
export class Transformer extends Module {
  encoder: Module;
  decoder: Module;
  readonly dModel: number;
  readonly nhead: number;
  readonly batchFirst: boolean;

  constructor(dModel = 512, nhead = 8, options: TransformerOptions = {}) {
    super();
    const { numEncoderLayers = 6, numDecoderLayers = 6, customEncoder = null, customDecoder = null,
      ...layerOptions } = options;
    const { layerNormEps = 1e-5, bias = true, dtype, device } = layerOptions;
    const finalNorm = () => new LayerNorm(dModel, { eps: layerNormEps, bias, dtype, device });
    this.encoder = customEncoder ?? new TransformerEncoder(new TransformerEncoderLayer(dModel, nhead, layerOptions), numEncoderLayers, { norm: finalNorm() });
    this.decoder = customDecoder ?? new TransformerDecoder(new TransformerDecoderLayer(dModel, nhead, layerOptions), numDecoderLayers, { norm: finalNorm() });
    for (const p of this.parameters()) if (p.dim() > 1) init.xavierUniform_(p);
    this.dModel = dModel;
    this.nhead = nhead;
    this.batchFirst = layerOptions.batchFirst ?? false;
  }

  override forward(src: Tensor, tgt: Tensor, options: TransformerCallOptions = {}): Tensor {
    const batchDim = this.batchFirst ? 0 : 1;
    if (src.dim() === 3 && src.size(batchDim) !== tgt.size(batchDim)) throw new Error('the batch number of src and tgt must be equal');
    if (src.size(-1) !== this.dModel || tgt.size(-1) !== this.dModel) {
      throw new Error('the feature number of src and tgt must be equal to d_model');
    }
    const { srcMask = null, srcKeyPaddingMask = null, srcIsCausal, ...decoderOptions } = options;
    checkCausalHint(srcIsCausal, srcMask);
    const memory = this.encoder.forward(src, { mask: srcMask, srcKeyPaddingMask }) as Tensor;
    return this.decoder.forward(tgt, memory, decoderOptions) as Tensor;
  }

  /** A float mask with -inf above the diagonal and 0 elsewhere: position i attends to positions <= i. */
  static generateSquareSubsequentMask(sz: number, options: FactoryOptions = {}): Tensor {
    return triu(full([sz, sz], -Infinity, { dtype: options.dtype ?? null, device: options.device ?? null }), 1);
  }
}
