// nn.MultiheadAttention: the parameters of F.multiHeadAttentionForward (a packed input
// projection, or separate ones when kdim/vdim differ; optional bias_k/bias_v; the output
// projection) with PyTorch's initialization: xavier_uniform_ input projections, zero biases,
// xavier_normal_ bias_k/bias_v.
import type { Tensor } from '../../tensor';
import { empty } from '../../generated/functions';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { Linear, type FactoryOptions } from './linear';
import * as init from '../init';
import * as F from '../functional';

export interface MultiheadAttentionOptions extends FactoryOptions {
  dropout?: number;
  bias?: boolean;
  addBiasKv?: boolean;
  addZeroAttn?: boolean;
  kdim?: number | null;
  vdim?: number | null;
  batchFirst?: boolean;
}

export interface AttentionCallOptions {
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  attnMask?: Tensor | null;
  averageAttnWeights?: boolean;
  /** A hint that attnMask is causal; PyTorch requires the mask with it. */
  isCausal?: boolean;
}

/** PyTorch prints its out_proj under this class name. */
export class NonDynamicallyQuantizableLinear extends Linear {}

export class MultiheadAttention extends Module {
  readonly headDim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly kdim: number;
  readonly vdim: number;
  readonly addZeroAttn: boolean;
  // Declared in PyTorch's registration order, which is the state dict's.
  inProjWeight: Parameter | null = null;
  qProjWeight: Parameter | null = null;
  kProjWeight: Parameter | null = null;
  vProjWeight: Parameter | null = null;
  inProjBias: Parameter | null;
  outProj: Linear;
  biasK: Parameter | null = null;
  biasV: Parameter | null = null;

  constructor(readonly embedDim: number, readonly numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    const { dropout = 0, bias = true, addBiasKv = false, addZeroAttn = false, kdim = null, vdim = null, batchFirst = false, ...factory } = options;
    if (embedDim <= 0 || numHeads <= 0) {
      throw new Error(`embed_dim and num_heads must be greater than 0, got embed_dim=${embedDim} and num_heads=${numHeads} instead`);
    }
    this.headDim = Math.floor(embedDim / numHeads);
    if (this.headDim * numHeads !== embedDim) throw new Error('embed_dim must be divisible by num_heads');
    this.dropout = dropout;
    this.batchFirst = batchFirst;
    this.kdim = kdim ?? embedDim;
    this.vdim = vdim ?? embedDim;
    this.addZeroAttn = addZeroAttn;
    if (this.kdim === embedDim && this.vdim === embedDim) {
      this.inProjWeight = new Parameter(empty([3 * embedDim, embedDim], factory));
    } else {
      this.qProjWeight = new Parameter(empty([embedDim, embedDim], factory));
      this.kProjWeight = new Parameter(empty([embedDim, this.kdim], factory));
      this.vProjWeight = new Parameter(empty([embedDim, this.vdim], factory));
    }
    this.inProjBias = bias ? new Parameter(empty([3 * embedDim], factory)) : null;
    this.outProj = new NonDynamicallyQuantizableLinear(embedDim, embedDim, { bias, ...factory });
    if (addBiasKv) {
      this.biasK = new Parameter(empty([1, 1, embedDim], factory));
      this.biasV = new Parameter(empty([1, 1, embedDim], factory));
    }
    this.resetParameters();
  }

  resetParameters(): void {
    for (const w of [this.inProjWeight, this.qProjWeight, this.kProjWeight, this.vProjWeight]) if (w) init.xavierUniform_(w);
    if (this.inProjBias) init.constant_(this.inProjBias, 0);
    if (this.outProj.bias) init.constant_(this.outProj.bias, 0);
    if (this.biasK) init.xavierNormal_(this.biasK);
    if (this.biasV) init.xavierNormal_(this.biasV);
  }

  /** Returns [output, weights]; weights is null unless needWeights (the default). */
  override forward(query: Tensor, key: Tensor, value: Tensor, options: AttentionCallOptions = {}): [Tensor, Tensor | null] {
    const batchFirst = this.batchFirst && query.dim() === 3;
    // F.multiHeadAttentionForward keeps PyTorch's (L, N, E); the module takes batch-first too.
    const [q, k, v] = batchFirst ? (key === query && value === query ? Array(3).fill(query.transpose(0, 1)) : [query, key, value].map((t) => t.transpose(0, 1))) : [query, key, value];
    const [output, weights] = F.multiHeadAttentionForward(q, k, v, this.embedDim, this.numHeads, this.inProjWeight, this.inProjBias,
      this.biasK, this.biasV, this.addZeroAttn, this.dropout, this.outProj.weight, this.outProj.bias, {
        ...options, training: this.training, useSeparateProjWeight: this.inProjWeight === null,
        qProjWeight: this.qProjWeight, kProjWeight: this.kProjWeight, vProjWeight: this.vProjWeight,
      });
    return [batchFirst ? output.transpose(0, 1) : output, weights];
  }
}
