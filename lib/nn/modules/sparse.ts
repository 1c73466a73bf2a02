// nn.Embedding and nn.EmbeddingBag: weight ~ N(0, 1), the padding row zeroed, as in PyTorch.
import type { Tensor } from '../../tensor';
import { empty } from '../../generated/functions';
import { noGrad } from '../../autograd';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as init from '../init';
import * as F from '../functional';
import { pyFloat } from '../repr';
import type { FactoryOptions } from './linear';

export interface EmbeddingModuleOptions extends FactoryOptions {
  paddingIdx?: number | null;
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
  sparse?: boolean;
  /** Initial weights (Python's _weight), used as they are. */
  weight?: Tensor;
}

abstract class EmbeddingBase extends Module {
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly scaleGradByFreq: boolean;
  readonly sparse: boolean;
  weight: Parameter;

  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, options: EmbeddingModuleOptions) {
    super();
    const { paddingIdx = null, maxNorm = null, normType = 2, scaleGradByFreq = false, sparse = false, weight, ...factory } = options;
    if (paddingIdx !== null && (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)) {
      throw new Error('Padding_idx must be within num_embeddings');
    }
    this.paddingIdx = paddingIdx === null ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
    this.maxNorm = maxNorm;
    this.normType = normType;
    this.scaleGradByFreq = scaleGradByFreq;
    this.sparse = sparse;
    if (weight) {
      if (weight.shape.join() !== [numEmbeddings, embeddingDim].join()) throw new Error('Shape of weight does not match num_embeddings and embedding_dim');
      this.weight = new Parameter(weight);
    } else {
      this.weight = new Parameter(empty([numEmbeddings, embeddingDim], factory));
      this.resetParameters();
    }
  }

  resetParameters(): void {
    init.normal_(this.weight);
    if (this.paddingIdx !== null) {
      const row = this.paddingIdx;
      noGrad(() => this.weight.get(row).fill_(0));
    }
  }

  protected reprOptions(): string {
    let s = '';
    if (this.maxNorm !== null) s += `, max_norm=${pyFloat(this.maxNorm)}`;
    if (this.normType !== 2) s += `, norm_type=${pyFloat(this.normType)}`;
    if (this.scaleGradByFreq) s += ', scale_grad_by_freq=True';
    return s;
  }
}

export class Embedding extends EmbeddingBase {
  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingModuleOptions = {}) {
    super(numEmbeddings, embeddingDim, options);
  }

  /** An Embedding holding `embeddings` (frozen unless { freeze: false }), as Embedding.from_pretrained. */
  static fromPretrained(embeddings: Tensor, options: Omit<EmbeddingModuleOptions, 'weight' | keyof FactoryOptions> & { freeze?: boolean } = {}): Embedding {
    if (embeddings.dim() !== 2) throw new Error('Embeddings parameter is expected to be 2-dimensional');
    const { freeze = true, ...rest } = options;
    const e = new Embedding(embeddings.size(0), embeddings.size(1), { ...rest, weight: embeddings });
    e.weight.requiresGrad_(!freeze);
    return e;
  }

  override forward(input: Tensor): Tensor {
    return F.embedding(input, this.weight, {
      paddingIdx: this.paddingIdx, maxNorm: this.maxNorm, normType: this.normType, scaleGradByFreq: this.scaleGradByFreq, sparse: this.sparse,
    });
  }

  override extraRepr(): string {
    const padding = this.paddingIdx !== null ? `, padding_idx=${this.paddingIdx}` : '';
    return `${this.numEmbeddings}, ${this.embeddingDim}${padding}${this.reprOptions()}${this.sparse ? ', sparse=True' : ''}`;
  }
}

export interface EmbeddingBagModuleOptions extends EmbeddingModuleOptions {
  mode?: 'sum' | 'mean' | 'max';
  includeLastOffset?: boolean;
}

/** Sums, means or maxima over bags of embeddings: forward(input, offsets?, { perSampleWeights }). */
export class EmbeddingBag extends EmbeddingBase {
  readonly mode: 'sum' | 'mean' | 'max';
  readonly includeLastOffset: boolean;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingBagModuleOptions = {}) {
    const { mode = 'mean', includeLastOffset = false, ...rest } = options;
    super(numEmbeddings, embeddingDim, rest);
    this.mode = mode;
    this.includeLastOffset = includeLastOffset;
  }

  override forward(input: Tensor, offsets: Tensor | null = null, options: { perSampleWeights?: Tensor | null } = {}): Tensor {
    return F.embeddingBag(input, this.weight, offsets, {
      maxNorm: this.maxNorm, normType: this.normType, scaleGradByFreq: this.scaleGradByFreq, mode: this.mode,
      sparse: this.sparse, perSampleWeights: options.perSampleWeights ?? null, includeLastOffset: this.includeLastOffset,
      paddingIdx: this.paddingIdx,
    });
  }

  override extraRepr(): string {
    const padding = this.paddingIdx !== null ? `, padding_idx=${this.paddingIdx}` : '';
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.reprOptions()}, mode='${this.mode}'${padding}`;
  }
}
