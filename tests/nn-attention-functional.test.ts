// F.multiHeadAttentionForward against PyTorch 2.11's F.multi_head_attention_forward
// (tests/fixtures/mha-functional.py): packed and separate projections, masks, bias_k/bias_v,
// a zero attention slot, static keys and values, per-head and averaged weights.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

const F = torch.nn.functional;
const golden = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'mha-functional.json'), 'utf8'));
const t: Record<string, torch.Tensor> = Object.fromEntries(Object.entries(golden.inputs as Record<string, unknown>).map(([k, v]) =>
  [k, torch.tensor(v as never, { dtype: k === 'attn_mask' || k === 'kpm' ? torch.bool : torch.float64 })]));
const camel = (s: string) => s.replace(/_(.)/g, (_, c: string) => c.toUpperCase());
const TENSOR_OPTION: Record<string, string> = {
  attn_mask: 'attn_mask', key_padding_mask: 'kpm', q_proj_weight: 'q_w', k_proj_weight: 'k_w', v_proj_weight: 'v_w', static_k: 'static_k', static_v: 'static_v',
};
const maxDiff = (a: torch.Tensor, b: unknown) => a.sub(torch.tensor(b as never, { dtype: torch.float64 })).abs().max().item();

describe(`F.multiHeadAttentionForward equals PyTorch ${golden.torch}`, () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const options: Record<string, unknown> = { training: false };
      for (const [k, v] of Object.entries(c.options)) options[camel(k)] = v;
      for (const k of c.tensors) options[camel(k)] = t[TENSOR_OPTION[k]];
      const [out, weights] = F.multiHeadAttentionForward(t.q, t.k, t.v, 4, 2, t.in_w, t.in_b, c.bias_kv ? t.bias_k : null,
        c.bias_kv ? t.bias_v : null, c.zero_attn, 0, t.out_w, t.out_b, options);
      expect(out.shape).toEqual([3, 2, 4]);
      expect(maxDiff(out, c.out)).toBeLessThan(1e-12);
      if (c.weights === null) expect(weights).toBeNull();
      else expect(maxDiff(weights!, c.weights)).toBeLessThan(1e-12);
    });
  }

  it('refuses what PyTorch refuses', () => {
    const call = (options: Record<string, unknown>, E = 4) =>
      F.multiHeadAttentionForward(t.q, t.k, t.v, E, 2, t.in_w, t.in_b, null, null, false, 0, t.out_w, t.out_b, options);
    expect(() => call({ isCausal: true })).toThrow('Need attn_mask if specifying the is_causal hint');
    expect(() => call({}, 6)).toThrow('was expecting embedding dimension of 6, but got 4');
    expect(() => call({ staticK: torch.ones(3, 5, 2, { dtype: torch.float64 }) })).toThrow('expecting static_k.size(0) of 4, but got 3');
    expect(() => call({ useSeparateProjWeight: true })).toThrow('use_separate_proj_weight is True but q_proj_weight, k_proj_weight or v_proj_weight is None');
  });
});
