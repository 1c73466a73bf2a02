// nn.MultiheadAttention, computed as PyTorch's F.multi_head_attention_forward does (packed
// input projection, or separate ones when kdim/vdim differ; optional bias_k/bias_v and a zero
// attention slot; per-head scaled dot products; output projection), with its initialization:
// xavier_uniform_ input projections, zero biases, xavier_normal_ bias_k/bias_v.
import type { Tensor } from '../../tensor';
import { empty, bmm, baddbmm, cat, zeros } from '../../generated/functions';
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
    const { keyPaddingMask = null, needWeights = true, attnMask = null, averageAttnWeights = true } = options;
    const unbatched = query.dim() === 2;
    let [q, k, v] = [query, key, value].map((t) => (unbatched ? t.unsqueeze(1) : this.batchFirst ? t.transpose(0, 1) : t));
    const [tgtLen, batch, embed] = q.shape;
    const E = this.embedDim;
    if (embed !== E) throw new Error(`was expecting embedding dimension of ${E}, but got ${embed}`);
    const H = this.numHeads;
    const b = this.inProjBias;
    const bs = b ? b.chunk(3) : [null, null, null];
    if (!this.inProjWeight) {
      [q, k, v] = [F.linear(q, this.qProjWeight!, bs[0]), F.linear(k, this.kProjWeight!, bs[1]), F.linear(v, this.vProjWeight!, bs[2])];
    } else if (q === k && k === v) {
      [q, k, v] = F.linear(q, this.inProjWeight, b).chunk(3, -1);
    } else {
      const w = this.inProjWeight.chunk(3);
      [q, k, v] = [F.linear(q, w[0], bs[0]), F.linear(k, w[1], bs[1]), F.linear(v, w[2], bs[2])];
    }
    // Masks as additive floats (bool true -> -inf): attnMask (1 or N*H, L, S), keyPaddingMask (N, S).
    const additive = (m: Tensor) => (m.dtype.name === 'bool' ? zeros(m.shape, { dtype: q.dtype, device: q.device }).maskedFill(m, -Infinity) : m);
    let mask = attnMask ? additive(attnMask.dim() === 2 ? attnMask.unsqueeze(0) : attnMask) : null;
    let padding = keyPaddingMask ? additive(keyPaddingMask).view(batch, -1) : null;
    const oneMoreKey = () => {
      mask = mask ? F.pad(mask, [0, 1]) : null;
      padding = padding ? F.pad(padding, [0, 1]) : null;
    };
    if (this.biasK && this.biasV) {
      k = cat([k, this.biasK.repeat(1, batch, 1)]);
      v = cat([v, this.biasV.repeat(1, batch, 1)]);
      oneMoreKey();
    }
    // (L, N, E) -> (N*H, L, head_dim)
    const heads = (t: Tensor) => t.contiguous().view(t.size(0), batch * H, this.headDim).transpose(0, 1);
    q = heads(q);
    k = heads(k);
    v = heads(v);
    if (this.addZeroAttn) {
      k = cat([k, zeros([batch * H, 1, this.headDim], { dtype: k.dtype, device: k.device })], 1);
      v = cat([v, zeros([batch * H, 1, this.headDim], { dtype: v.dtype, device: v.device })], 1);
      oneMoreKey();
    }
    const srcLen = k.size(1);
    if (padding) {
      const kpm = (padding as Tensor).view(batch, 1, 1, srcLen).expand(-1, H, -1, -1).reshape(batch * H, 1, srcLen);
      mask = mask ? (mask as Tensor).add(kpm) : kpm;
    }

    const scaled = q.mul(Math.sqrt(1 / this.headDim));
    let weights = mask ? baddbmm(mask as Tensor, scaled, k.transpose(-2, -1)) : bmm(scaled, k.transpose(-2, -1));
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
