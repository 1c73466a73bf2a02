// torch.nn.functional.multi_head_attention_forward, the computation behind nn.MultiheadAttention,
// as PyTorch writes it: input projections (one packed weight, or three when
// useSeparateProjWeight), optional bias_k/bias_v and a zero attention slot, per-head scaled dot
// products with the masks added, dropout, the output projection. Inputs are (L, N, E), or
// (L, E) unbatched.
import type { Tensor } from '../tensor';
import { bmm, baddbmm, cat, softmax, zeros } from '../generated/functions';
import { makeNamespace } from '../ops/overload';
import { overloads, nn as nnTable } from '../generated/ops';
import { dropout } from './functional-dropout';

const C = makeNamespace('torch._C._nn.', overloads, nnTable) as Record<string, (...args: unknown[]) => Tensor>;
const linear = (x: Tensor, w: Tensor, b: Tensor | null) => C.linear(x, w, b);
const pad = (x: Tensor, p: number[]) => C.pad(x, p);

export interface MultiHeadAttentionOptions {
  training?: boolean;
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  attnMask?: Tensor | null;
  useSeparateProjWeight?: boolean;
  qProjWeight?: Tensor | null;
  kProjWeight?: Tensor | null;
  vProjWeight?: Tensor | null;
  staticK?: Tensor | null;
  staticV?: Tensor | null;
  averageAttnWeights?: boolean;
  isCausal?: boolean;
}

/** The output and the attention weights (averaged over heads unless averageAttnWeights is false; null without needWeights). */
export function multiHeadAttentionForward(query: Tensor, key: Tensor, value: Tensor, embedDimToCheck: number, numHeads: number,
  inProjWeight: Tensor | null, inProjBias: Tensor | null, biasK: Tensor | null, biasV: Tensor | null, addZeroAttn: boolean,
  dropoutP: number, outProjWeight: Tensor, outProjBias: Tensor | null, options: MultiHeadAttentionOptions = {}): [Tensor, Tensor | null] {
  const { training = true, keyPaddingMask = null, needWeights = true, attnMask = null, useSeparateProjWeight = false,
    qProjWeight = null, kProjWeight = null, vProjWeight = null, staticK = null, staticV = null,
    averageAttnWeights = true, isCausal = false } = options;
  if (isCausal && !attnMask) {
    throw new Error('Need attn_mask if specifying the is_causal hint. You may use the Transformer module method ' +
      '`generate_square_subsequent_mask` to create this mask.');
  }
  const unbatched = query.dim() === 2;
  let [q, k, v] = [query, key, value].map((t) => (unbatched ? t.unsqueeze(1) : t));
  const [tgtLen, batch, embed] = q.shape;
  if (embed !== embedDimToCheck) throw new Error(`was expecting embedding dimension of ${embedDimToCheck}, but got ${embed}`);
  const headDim = Math.floor(embed / numHeads);
  if (headDim * numHeads !== embed) throw new Error(`embed_dim ${embed} not divisible by num_heads ${numHeads}`);

  const bs = inProjBias ? inProjBias.chunk(3) : [null, null, null];
  if (useSeparateProjWeight) {
    if (!qProjWeight || !kProjWeight || !vProjWeight) throw new Error('use_separate_proj_weight is True but q_proj_weight, k_proj_weight or v_proj_weight is None');
    [q, k, v] = [linear(q, qProjWeight, bs[0]), linear(k, kProjWeight, bs[1]), linear(v, vProjWeight, bs[2])];
  } else {
    if (!inProjWeight) throw new Error('use_separate_proj_weight is False but in_proj_weight is None');
    if (q === k && k === v) [q, k, v] = linear(q, inProjWeight, inProjBias).chunk(3, -1);
    else {
      const w = inProjWeight.chunk(3);
      [q, k, v] = [linear(q, w[0], bs[0]), linear(k, w[1], bs[1]), linear(v, w[2], bs[2])];
    }
  }
  // Masks as additive floats (bool true -> -inf): attnMask (L, S) or (N*H, L, S), keyPaddingMask (N, S).
  const additive = (m: Tensor) => (m.dtype.name === 'bool' ? zeros(m.shape, { dtype: q.dtype, device: q.device }).maskedFill(m, -Infinity) : m);
  let mask = attnMask ? additive(attnMask.dim() === 2 ? attnMask.unsqueeze(0) : attnMask) : null;
  let padding = keyPaddingMask ? additive(keyPaddingMask).view(batch, -1) : null;
  const oneMoreKey = () => {
    mask = mask ? pad(mask, [0, 1]) : null;
    padding = padding ? pad(padding, [0, 1]) : null;
  };
  if (biasK && biasV) {
    if (staticK || staticV) throw new Error('bias cannot be added to static key.');
    k = cat([k, biasK.repeat(1, batch, 1)]);
    v = cat([v, biasV.repeat(1, batch, 1)]);
    oneMoreKey();
  }
  // (L, N, E) -> (N*H, L, head_dim); static keys and values come in that shape already.
  const heads = (t: Tensor) => t.contiguous().view(t.size(0), batch * numHeads, headDim).transpose(0, 1);
  const fixed = (t: Tensor, name: string) => {
    if (t.size(0) !== batch * numHeads) throw new Error(`expecting ${name}.size(0) of ${batch * numHeads}, but got ${t.size(0)}`);
    if (t.size(2) !== headDim) throw new Error(`expecting ${name}.size(2) of ${headDim}, but got ${t.size(2)}`);
    return t;
  };
  q = heads(q);
  k = staticK ? fixed(staticK, 'static_k') : heads(k);
  v = staticV ? fixed(staticV, 'static_v') : heads(v);
  if (addZeroAttn) {
    k = cat([k, zeros([batch * numHeads, 1, headDim], { dtype: k.dtype, device: k.device })], 1);
    v = cat([v, zeros([batch * numHeads, 1, headDim], { dtype: v.dtype, device: v.device })], 1);
    oneMoreKey();
  }
  const srcLen = k.size(1);
  if (padding) {
    const kpm = (padding as Tensor).view(batch, 1, 1, srcLen).expand(-1, numHeads, -1, -1).reshape(batch * numHeads, 1, srcLen);
    mask = mask ? (mask as Tensor).add(kpm) : kpm;
  }

  const scaled = q.mul(Math.sqrt(1 / headDim));
  let weights = mask ? baddbmm(mask as Tensor, scaled, k.transpose(-2, -1)) : bmm(scaled, k.transpose(-2, -1));
  weights = softmax(weights, -1);
  if (dropoutP > 0) weights = dropout(weights, dropoutP, training);
  let output = bmm(weights, v).transpose(0, 1).contiguous().view(tgtLen * batch, embed);
  output = linear(output, outProjWeight, outProjBias).view(tgtLen, batch, embed);
  if (unbatched) output = output.squeeze(1);
  if (!needWeights) return [output, null];
  let w = weights.view(batch, numHeads, tgtLen, srcLen);
  if (averageAttnWeights) w = w.mean(1);
  return [output, unbatched ? w.squeeze(0) : w];
}
