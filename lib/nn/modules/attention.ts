// nn.MultiheadAttention, computed as PyTorch's F.multi_head_attention_forward does (packed
// input projection for self-attention, per-head scaled dot products, output projection),
// with its initialization: xavier_uniform_ input projection, zero biases.
import type { Tensor } from '../../tensor';
import { empty, bmm, baddbmm, zeros } from '../../generated/functions';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { Linear, type FactoryOptions } from './linear';
import * as init from '../init';
import * as F from '../functional';

export interface MultiheadAttentionOptions extends FactoryOptions {
  dropout?: number;
  bias?: boolean;
  batchFirst?: boolean;
}

export interface AttentionCallOptions {
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  attnMask?: Tensor | null;
  averageAttnWeights?: boolean;
}

/** PyTorch prints its out_proj under this class name. */
export class NonDynamicallyQuantizableLinear extends Linear {}

export class MultiheadAttention extends Module {
  readonly headDim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  inProjWeight: Parameter;
  inProjBias: Parameter | null;
  outProj: Linear;

  constructor(readonly embedDim: number, readonly numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    const { dropout = 0, bias = true, batchFirst = false, ...factory } = options;
    this.headDim = Math.floor(embedDim / numHeads);
    if (this.headDim * numHeads !== embedDim) throw new Error('embed_dim must be divisible by num_heads');
    this.dropout = dropout;
    this.batchFirst = batchFirst;
    this.inProjWeight = new Parameter(empty([3 * embedDim, embedDim], factory));
    this.inProjBias = bias ? new Parameter(empty([3 * embedDim], factory)) : null;
    this.outProj = new NonDynamicallyQuantizableLinear(embedDim, embedDim, { bias, ...factory });
    init.xavierUniform_(this.inProjWeight);
    if (this.inProjBias) init.constant_(this.inProjBias, 0);
    if (this.outProj.bias) init.constant_(this.outProj.bias, 0);
  }

  /** Returns [output, weights]; weights is null unless needWeights (the default). */
  override forward(query: Tensor, key: Tensor, value: Tensor, options: AttentionCallOptions = {}): [Tensor, Tensor | null] {
    const { keyPaddingMask = null, needWeights = true, attnMask = null, averageAttnWeights = true } = options;
    const unbatched = query.dim() === 2;
    let [q, k, v] = [query, key, value].map((t) => (unbatched ? t.unsqueeze(1) : this.batchFirst ? t.transpose(0, 1) : t));
    const [tgtLen, batch, embed] = q.shape;
    const srcLen = k.size(0);
    const E = this.embedDim;
    if (embed !== E) throw new Error(`was expecting embedding dimension of ${E}, but got ${embed}`);
    const H = this.numHeads;
    const b = this.inProjBias;
    if (q === k && k === v) {
      [q, k, v] = F.linear(q, this.inProjWeight, b).chunk(3, -1);
    } else {
      const w = this.inProjWeight.chunk(3);
      const bs = b ? b.chunk(3) : [null, null, null];
      [q, k, v] = [F.linear(q, w[0], bs[0]), F.linear(k, w[1], bs[1]), F.linear(v, w[2], bs[2])];
    }
    // (L, N, E) -> (N*H, L, head_dim)
    const heads = (t: Tensor, len: number) => t.contiguous().view(len, batch * H, this.headDim).transpose(0, 1);
    q = heads(q, tgtLen);
    k = heads(k, srcLen);
    v = heads(v, srcLen);

    // One additive float mask of shape (N*H, L, S) from attnMask and keyPaddingMask.
    let mask: Tensor | null = null;
    const additive = (m: Tensor) => (m.dtype.name === 'bool' ? zeros(m.shape, { dtype: q.dtype }).maskedFill(m, -Infinity) : m);
    if (attnMask) mask = additive(attnMask.dim() === 2 ? attnMask.unsqueeze(0) : attnMask);
    if (keyPaddingMask) {
      const kpm = additive(keyPaddingMask).view(batch, 1, 1, srcLen).expand(-1, H, -1, -1).reshape(batch * H, 1, srcLen);
      mask = mask ? mask.add(kpm) : kpm;
    }

    const scaled = q.mul(Math.sqrt(1 / this.headDim));
    let weights = mask ? baddbmm(mask, scaled, k.transpose(-2, -1)) : bmm(scaled, k.transpose(-2, -1));
    weights = F.softmax(weights, -1);
    if (this.dropout > 0) weights = F.dropout(weights, this.dropout, this.training);
    let output = bmm(weights, v).transpose(0, 1).contiguous().view(tgtLen * batch, E);
    output = this.outProj.forward(output).view(tgtLen, batch, E);
    if (unbatched) output = output.squeeze(1);
    else if (this.batchFirst) output = output.transpose(0, 1);
    if (!needWeights) return [output, null];
    let w = weights.view(batch, H, tgtLen, srcLen);
    if (averageAttnWeights) w = w.mean(1);
    return [output, unbatched ? w.squeeze(0) : w];
  }
}
