// nn.TransformerEncoderLayer and nn.TransformerEncoder, as PyTorch composes them.
import type { Tensor } from '../../tensor';
import { Module, deepCopy } from '../module';
import { Linear, type FactoryOptions } from './linear';
import { MultiheadAttention } from './attention';
import { Dropout } from './dropout';
import { LayerNorm } from './normalization';
import { ModuleList } from './container';
import * as F from '../functional';

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

export class TransformerEncoder extends Module {
  layers: ModuleList;
  norm: Module | null;

  /** numLayers copies of encoderLayer (same initial weights, as PyTorch's deepcopy). */
  constructor(encoderLayer: TransformerEncoderLayer, readonly numLayers: number, options: { norm?: Module | null } = {}) {
    super();
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => deepCopy(encoderLayer)));
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
