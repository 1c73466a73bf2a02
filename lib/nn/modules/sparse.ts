// nn.Embedding: weight ~ N(0, 1), the padding row zeroed, as in PyTorch.
import type { Tensor } from '../../tensor';
import { empty } from '../../generated/functions';
import { noGrad } from '../../autograd';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as init from '../init';
import * as F from '../functional';
import type { FactoryOptions } from './linear';

export class Embedding extends Module {
  readonly paddingIdx: number | null;
  weight: Parameter;

  constructor(readonly numEmbeddings: number, readonly embeddingDim: number,
    options: FactoryOptions & { paddingIdx?: number | null; scaleGradByFreq?: boolean } = {}) {
    super();
    const { paddingIdx = null, scaleGradByFreq: _s, ...factory } = options;
    if (paddingIdx !== null && (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)) {
      throw new Error('Padding_idx must be within num_embeddings');
    }
    this.paddingIdx = paddingIdx === null ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
    this.weight = new Parameter(empty([numEmbeddings, embeddingDim], factory));
    init.normal_(this.weight);
    if (this.paddingIdx !== null) {
      const row = this.paddingIdx;
      noGrad(() => this.weight.get(row).fill_(0));
    }
  }

  override forward(input: Tensor): Tensor {
    return F.embedding(input, this.weight, { paddingIdx: this.paddingIdx });
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, padding_idx=${this.paddingIdx}` : ''}`;
  }
}
