import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

const { nn } = torch;
const F = nn.functional;
// Written by tests/fixtures/nn-golden.py with PyTorch 2.11.
const golden = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'nn-golden.json'), 'utf8'));

function close(actual: unknown, expected: unknown, digits = 5): void {
  const a = [actual].flat(Infinity as 1) as number[];
  const e = [expected].flat(Infinity as 1) as number[];
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(e[i], digits));
}

class Net extends nn.Module {
  fc1 = new nn.Linear(3, 4);
  act = new nn.ReLU();
  head: nn.Module;
  constructor() {
    super();
    this.head = new nn.Sequential(new nn.Linear(4, 2), new nn.Sigmoid());
    this.registerBuffer('steps', torch.zeros(1));
  }
  override forward(x: torch.Tensor): torch.Tensor {
    return (this.head.forward(this.act.forward(this.fc1.forward(x))) as torch.Tensor);
  }
}

describe('nn.Module', () => {
  it('registers submodules, parameters and buffers assigned as properties', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual(['fc1.weight', 'fc1.bias', 'head.0.weight', 'head.0.bias']);
    expect(net.parameters().every((p) => p instanceof nn.Parameter && p.requiresGrad)).toBe(true);
    expect(net.namedChildren().map(([n]) => n)).toEqual(['fc1', 'act', 'head']);
    expect(net.modules().length).toBe(6);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['steps']);
    // PyTorch's order: a module's own parameters and buffers, then its children's.
    expect(Object.keys(net.stateDict())).toEqual(['steps', 'fc1.weight', 'fc1.bias', 'head.0.weight', 'head.0.bias']);
    expect(net.forward(torch.ones(2, 3)).shape).toEqual([2, 2]);
  });

  it('train/eval, zeroGrad, requiresGrad_, apply', () => {
    const net = new Net();
    net.eval();
    expect(net.training).toBe(false);
    expect((net.head as nn.Sequential).at(0).training).toBe(false);
    net.train();
    expect(net.fc1.training).toBe(true);
    net.forward(torch.ones(1, 3)).sum().backward();
    expect(net.fc1.weight.grad).not.toBeNull();
    net.zeroGrad({ setToNone: false });
    expect(net.fc1.weight.grad!.abs().sum().item()).toBe(0);
    net.zeroGrad();
    expect(net.fc1.weight.grad).toBeNull();
    net.requiresGrad_(false);
    expect(net.parameters().some((p) => p.requiresGrad)).toBe(false);
    const names: string[] = [];
    net.apply((m) => names.push(m.constructor.name));
    expect(names).toEqual(['Linear', 'ReLU', 'Linear', 'Sigmoid', 'Sequential', 'Net']);
  });

  it('to(dtype) keeps the same Parameter objects', () => {
    const net = new Net();
    const before = net.parameters();
    net.double();
    expect(net.parameters()).toEqual(before);
    expect(net.fc1.weight.dtype).toBe(torch.float64);
    expect(net.fc1.weight.requiresGrad).toBe(true);
    expect(net.forward(torch.ones(1, 3, { dtype: torch.float64 })).dtype).toBe(torch.float64);
  });

  it('stateDict round trip, and loadStateDict errors in PyTorch\'s words', () => {
    const a = new Net();
    const b = new Net();
    b.loadStateDict(a.stateDict());
    expect(b.fc1.weight.tolist()).toEqual(a.fc1.weight.tolist());
    const sd = { ...a.stateDict() };
    delete sd['fc1.bias'];
    sd.extra = torch.ones(1);
    expect(() => b.loadStateDict(sd)).toThrow(
      'Error(s) in loading state_dict for Net:\n\tMissing key(s) in state_dict: "fc1.bias". \n\tUnexpected key(s) in state_dict: "extra". ');
    expect(b.loadStateDict(sd, { strict: false })).toEqual({ missingKeys: ['fc1.bias'], unexpectedKeys: ['extra'] });
    const wrong = { ...a.stateDict(), 'fc1.weight': torch.ones(2, 2) };
    expect(() => b.loadStateDict(wrong)).toThrow(
      'size mismatch for fc1.weight: copying a param with shape torch.Size([2, 2]) from checkpoint, the shape in current model is torch.Size([4, 3]).');
  });

  it('a module without forward says so', () => {
    expect(() => new nn.Module().forward()).toThrow('Module [Module] is missing the required "forward" function');
  });
});

describe('layers and losses equal PyTorch', () => {
  it('Linear initializes like PyTorch for the same seed', () => {
    torch.manualSeed(0);
    const lin = new nn.Linear(4, 3);
    close(lin.weight.tolist(), golden.linear_weight, 6);
    close(lin.bias!.tolist(), golden.linear_bias, 6);
    expect(String(lin)).toBe('Linear(in_features=4, out_features=3, bias=True)');
    expect(new nn.Linear(2, 2, { bias: false }).bias).toBeNull();
  });

  it('a Sequential MLP: output, state dict keys, repr, cross-entropy and gradients', () => {
    torch.manualSeed(1);
    const net = new nn.Sequential(new nn.Linear(3, 5), new nn.ReLU(), new nn.Linear(5, 2));
    const x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]);
    const y = net.forward(x);
    close(y.tolist(), golden.mlp_out);
    expect(Object.keys(net.stateDict())).toEqual(golden.mlp_keys);
    expect(String(net)).toBe(golden.mlp_repr);
    const loss = F.crossEntropy(y, torch.tensor([1n, 0n]));
    loss.backward();
    close(loss.item(), golden.mlp_ce);
    close((net.at(0) as InstanceType<typeof nn.Linear>).weight.grad!.tolist(), golden.mlp_grad0);
  });

  it('loss options: labelSmoothing, weight, probabilities, reduction, posWeight', () => {
    const logits = torch.tensor([[1.0, 2.0, 0.5], [0.1, -0.3, 0.8]]);
    close(F.crossEntropy(logits, torch.tensor([2n, 1n]), { labelSmoothing: 0.1 }).item(), golden.ce_smooth);
    close(new nn.CrossEntropyLoss({ weight: torch.tensor([1, 2, 0.5]), reduction: 'sum' })
      .forward(logits, torch.tensor([2n, 1n])).item(), golden.ce_weight_sum);
    close(F.crossEntropy(logits, torch.tensor([[0.2, 0.3, 0.5], [1, 0, 0]])).item(), golden.ce_probs);
    close(new nn.MSELoss({ reduction: 'none' }).forward(logits, torch.zeros(2, 3)).tolist(), golden.mse_none);
    close(F.binaryCrossEntropyWithLogits(logits, torch.ones(2, 3), { posWeight: torch.tensor([1, 2, 3]) }).item(), golden.bce_logits_pos);
    expect(() => F.mseLoss(logits, logits, { reduction: 'avg' as never })).toThrow('avg is not a valid value for reduction');
  });

  it('nn.init matches PyTorch for the same seed', () => {
    const w = torch.empty(3, 5);
    torch.manualSeed(3);
    nn.init.xavierUniform_(w);
    close(w.tolist(), golden.xavier, 6);
    torch.manualSeed(3);
    nn.init.kaimingNormal_(w, { mode: 'fan_out', nonlinearity: 'relu' });
    close(w.tolist(), golden.kaiming_normal, 6);
    expect(nn.init.calculateGain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04));
    // As PyTorch: kaiming init of a zero-element tensor is a no-op, so nn.Conv2d(0, 4, 3) exists.
    expect(nn.init.kaimingUniform_(torch.empty(0, 3)).shape).toEqual([0, 3]);
    const empty = new nn.Conv2d(0, 4, 3);
    expect(empty.weight.shape).toEqual([4, 0, 3, 3]);
    expect(empty.toString()).toBe('Conv2d(0, 4, kernel_size=(3, 3), stride=(1, 1))');
  });

  it('nn.init draws from a generator when given one, as PyTorch\'s generator=', () => {
    const expected = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'init-generator-golden.json'), 'utf8'));
    const generator = () => new torch.Generator().manualSeed(5);
    const w = () => torch.empty(2, 3);
    const init = nn.init;
    const made: Record<string, torch.Tensor> = {
      uniform: init.uniform_(w(), -1, 1, { generator: generator() }),
      normal: init.normal_(w(), 0.5, 2, { generator: generator() }),
      xavier_uniform: init.xavierUniform_(w(), 2, { generator: generator() }),
      xavier_normal: init.xavierNormal_(w(), 1, { generator: generator() }),
      kaiming_uniform: init.kaimingUniform_(w(), { a: 1, mode: 'fan_out', generator: generator() }),
      kaiming_normal: init.kaimingNormal_(w(), { nonlinearity: 'relu', generator: generator() }),
      orthogonal: init.orthogonal_(w(), 1.5, { generator: generator() }),
      trunc_normal: init.truncNormal_(w(), 0, 1, -0.5, 0.5, { generator: generator() }),
    };
    torch.manualSeed(11); // sparse_ takes the zeros' rows from the global generator, as PyTorch's
    made.sparse = init.sparse_(torch.empty(4, 3), 0.5, 1, { generator: generator() });
    for (const [name, t] of Object.entries(made)) close(t.tolist(), expected[name], 6);
    torch.manualSeed(7);
    init.uniform_(w(), 0, 1, { generator: generator() });
    close(torch.rand(3).tolist(), expected.global_after, 6); // the global generator untouched
  });

  it('Dropout is active in training only', () => {
    const d = new nn.Dropout(0.5);
    const x = torch.ones(1000);
    expect(d.forward(x).eq(0).sum().item()).toBeGreaterThan(300);
    d.eval();
    expect(d.forward(x).tolist()).toEqual(x.tolist());
  });
});

describe('CNN layers equal PyTorch', () => {
  const img = torch.arange(2 * 2 * 4 * 4).float().reshape(2, 2, 4, 4).div(10);

  it('Conv2d -> BatchNorm2d -> relu -> MaxPool2d, with running statistics', () => {
    torch.manualSeed(5);
    const conv = new nn.Conv2d(2, 3, 3, { stride: 1, padding: 1 });
    const pool = new nn.MaxPool2d(2);
    const bn = new nn.BatchNorm2d(3);
    const y = pool.forward(F.relu(bn.forward(conv.forward(img))));
    close(conv.weight.flatten().tolist(), golden.cnn_conv_weight, 6);
    expect(y.shape).toEqual(golden.cnn_shape);
    close(y.flatten().tolist(), golden.cnn_out, 4);
    close(bn.runningMean!.tolist(), golden.bn_running_mean, 5);
    close(bn.runningVar!.tolist(), golden.bn_running_var, 4);
    expect(bn.numBatchesTracked!.item()).toBe(1);
    bn.eval();
    close(bn.forward(conv.forward(img)).flatten().tolist().slice(0, 8), golden.bn_eval, 4);
    expect(String(bn)).toBe(golden.bn_repr);
    expect(String(pool)).toBe(golden.pool_repr);
    expect(String(new nn.Conv2d(2, 3, [3, 5], { stride: 2, padding: 1, bias: false }))).toBe(golden.conv_repr);
    expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
  });

  it('LayerNorm, AdaptiveAvgPool2d, AvgPool2d, Embedding', () => {
    close(new nn.LayerNorm(4).forward(img.get('0, 0')).flatten().tolist(), golden.layernorm, 4);
    close(new nn.AdaptiveAvgPool2d([1, 1]).forward(img).flatten().tolist(), golden.adaptive, 5);
    close(new nn.AvgPool2d(2).forward(img).flatten().tolist(), golden.avgpool, 5);
    torch.manualSeed(6);
    const emb = new nn.Embedding(5, 3, { paddingIdx: 0 });
    close(emb.weight.tolist(), golden.embedding_weight, 6);
    close(emb.forward(torch.tensor([[0n, 2n], [4n, 1n]])).tolist(), golden.embedding_out, 6);
  });

  it('bad shapes throw with the reason', () => {
    expect(() => new nn.BatchNorm2d(3).forward(torch.ones(2, 3))).toThrow('expected 4D input (got 2D input)');
    expect(() => new nn.Conv2d(2, 3, 3).forward(torch.ones(1, 5, 8, 8))).toThrow(/expected input\[1, 5, 8, 8\] to have 2 channels, but got 5 channels instead/);
    expect(() => new nn.Conv2d(3, 4, 3, { groups: 2 })).toThrow('in_channels must be divisible by groups');
  });
});

describe('recurrent layers equal PyTorch', () => {
  const seq = torch.arange(2 * 5 * 3).float().reshape(2, 5, 3).div(7).sin();

  it('a 2-layer bidirectional batch-first LSTM: parameters, outputs, states, gradients', () => {
    torch.manualSeed(7);
    const lstm = new nn.LSTM(3, 4, { numLayers: 2, batchFirst: true, bidirectional: true });
    expect(Object.keys(lstm.stateDict())).toEqual(golden.lstm_keys);
    const [o, [h, c]] = lstm.forward(seq);
    close(o.flatten().tolist(), golden.lstm_out, 5);
    close(h.flatten().tolist(), golden.lstm_h, 5);
    close(c.flatten().tolist(), golden.lstm_c, 5);
    expect(String(lstm)).toBe(golden.lstm_repr);
    o.sum().backward();
    close((lstm as unknown as Record<string, torch.Tensor>).weightHhL1Reverse.grad!.flatten().tolist(), golden.lstm_grad, 4);
  });

  it('GRU with an initial state, unbatched input, LSTMCell, RNN(relu)', () => {
    torch.manualSeed(8);
    const gru = new nn.GRU(3, 2);
    const [o, h] = gru.forward(seq.transpose(0, 1), torch.ones(1, 2, 2));
    close(o.flatten().tolist(), golden.gru_out, 5);
    close(h.flatten().tolist(), golden.gru_h, 5);
    const [o1, h1] = gru.forward(seq.get(0));
    expect([...o1.shape, ...h1.shape]).toEqual(golden.gru_unbatched_shape);
    torch.manualSeed(9);
    const [hc, cc] = new nn.LSTMCell(3, 2).forward(seq.get(':, 0'));
    close(hc.flatten().tolist(), golden.lstmcell_h, 5);
    close(cc.flatten().tolist(), golden.lstmcell_c, 5);
    torch.manualSeed(10);
    const rnn = new nn.RNN(3, 2, { nonlinearity: 'relu' });
    close(rnn.forward(seq.transpose(0, 1))[0].flatten().tolist(), golden.rnn_out, 5);
    expect(String(rnn)).toBe(golden.rnn_repr);
  });

  it('wrong input sizes give libtorch\'s message', () => {
    expect(() => new nn.LSTM(3, 4).forward(torch.ones(5, 2, 7))).toThrow(/input.size\(-1\) must be equal to input_size. Expected 3, got 7/);
  });
});

describe('recurrent size checks', () => {
  it('a wrong hidden state size says what was expected', () => {
    expect(() => new nn.GRU(3, 2).forward(torch.ones(5, 4, 3), torch.ones(1, 3, 2))).toThrow('Expected hidden size (1, 4, 2), got [1, 3, 2]');
  });
});

describe('more losses, Bilinear, containers and nn.utils (values from PyTorch 2.11)', () => {
  const x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]);
  const t = torch.tensor([[0, 0, 1], [1, 1, 0]]);

  it('SmoothL1, Huber, KLDiv (batchmean, logTarget), Bilinear', () => {
    close(new nn.SmoothL1Loss({ beta: 0.5 }).forward(x, t).item(), 0.5);
    close(new nn.HuberLoss({ delta: 0.7, reduction: 'sum' }).forward(x, t).item(), 1.7200000286102295);
    const lp = F.logSoftmax(x, 1);
    const tp = F.softmax(t, 1);
    close(new nn.KLDivLoss({ reduction: 'batchmean' }).forward(lp, tp).item(), 0.20524990558624268);
    close(F.klDiv(lp, tp.log(), { reduction: 'sum', logTarget: true }).item(), 0.4104997515678406);
    torch.manualSeed(12);
    const b = new nn.Bilinear(3, 2, 4);
    close(b.forward(x, x.get(':, :2')).flatten().tolist(), [1.283704400062561, -0.7488844394683838, -0.9884950518608093,
      -1.6756666898727417, 0.23626713454723358, 0.4460878372192383, -0.65744948387146, -0.4548548758029938]);
  });

  it('ModuleDict, ModuleList, Unflatten', () => {
    const d = new nn.ModuleDict({ a: new nn.Linear(2, 2), b: new nn.ReLU() });
    expect(d.keys()).toEqual(['a', 'b']);
    expect(d.parameters().length).toBe(2);
    const l = new nn.ModuleList([new nn.Linear(1, 1), new nn.Linear(1, 1)]);
    expect(Object.keys(l.stateDict())).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    expect(new nn.Unflatten(1, [2, 3]).forward(torch.ones(4, 6)).shape).toEqual([4, 2, 3]);
  });

  it('clipGradNorm_, clipGradValue_, parametersToVector/vectorToParameters', () => {
    const p1 = torch.tensor([3, 4], { requiresGrad: true });
    const p2 = torch.tensor([[12]], { requiresGrad: true });
    p1.sum().add(p2.sum()).backward();
    p1.grad!.mul_(torch.tensor([3, 4]));
    p2.grad!.mul_(12);
    const total = nn.utils.clipGradNorm_([p1, p2], 1.0);
    close(total.item(), 13);
    close(p1.grad!.tolist(), [0.23076921701431274, 0.307692289352417]);
    close(p2.grad!.tolist(), [[0.923076868057251]]);
    nn.utils.clipGradValue_([p1], 0.25);
    close(p1.grad!.tolist(), [0.23076921701431274, 0.25]);
    const v = nn.utils.parametersToVector([p1, p2]);
    expect(v.tolist()).toEqual([3, 4, 12]);
    nn.utils.vectorToParameters(torch.tensor([1, 2, 3]), [p1, p2]);
    expect([p1.tolist(), p2.tolist()]).toEqual([[1, 2], [[3]]]);
  });
});

describe('nn.functional aliases and compositions (values from PyTorch 2.11)', () => {
  const x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -7.75]]);
  it('relu6, softsign, normalize, oneHot, pad, softmin, hardswish', () => {
    expect(F.relu6(x.mul(4)).tolist()).toEqual([[2, 0, 6], [6, 1, 0]]);
    close(F.softsign(x).tolist(), [[0.3333333432674408, -0.5, 0.6666666865348816], [0.6000000238418579, 0.20000000298023224, -0.8857142925262451]]);
    close(F.normalize(x).tolist(), [[0.2182178795337677, -0.4364357590675354, 0.8728715181350708], [0.18992666900157928, 0.03165444731712341, -0.9812878370285034]]);
    expect(F.oneHot(torch.tensor([0n, 2n]), 3).tolist()).toEqual([[1, 0, 0], [0, 0, 1]]);
    expect((F.pad(x, [1, 1], { value: 9 }).tolist() as number[][])[0]).toEqual([9, 0.5, -1, 2, 9]);
    close((F.softmin(x, 1).tolist() as number[][])[0], [0.17529039084911346, 0.785597026348114, 0.03911257162690163]);
    close((F.hardswish(x).tolist() as number[][])[0], [0.2916666567325592, -0.3333333432674408, 1.6666666269302368]);
  });
});

describe('attention and transformer layers equal PyTorch', () => {
  const x = torch.arange(3 * 2 * 4).float().reshape(3, 2, 4).div(5).sin();

  it('MultiheadAttention: initialization, outputs, averaged weights, key padding mask', () => {
    torch.manualSeed(13);
    const mha = new nn.MultiheadAttention(4, 2);
    expect(Object.keys(mha.stateDict())).toEqual(golden.mha_keys);
    close(mha.inProjWeight.flatten().tolist(), golden.mha_in_proj, 6);
    close(mha.outProj.weight.flatten().tolist(), golden.mha_out_w, 6);
    const [o, w] = mha.forward(x, x, x);
    close(o.flatten().tolist(), golden.mha_out, 5);
    close(w!.flatten().tolist(), golden.mha_w, 5);
    const mask = torch.tensor([[false, false, true], [false, false, false]]);
    const [o2, w2] = mha.forward(x, x, x, { keyPaddingMask: mask, averageAttnWeights: false });
    close(o2.flatten().tolist(), golden.mha_masked_out, 5);
    expect(w2!.shape).toEqual(golden.mha_masked_w_shape);
  });

  it('a 2-layer TransformerEncoder (batch first): copies, keys, repr, output', () => {
    torch.manualSeed(14);
    const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8, dropout: 0, batchFirst: true });
    const enc = new nn.TransformerEncoder(layer, 2);
    // Printed with the JS property names (selfAttn), where PyTorch prints self_attn.
    expect(String(layer)).toBe(golden.layer_repr.replace('(self_attn)', '(selfAttn)').replace('(out_proj)', '(outProj)'));
    expect(Object.keys(enc.stateDict())).toEqual(golden.enc_keys);
    close(enc.forward(x.transpose(0, 1)).flatten().tolist(), golden.enc_out, 4);
    const [l0, l1] = [...enc.layers] as InstanceType<typeof nn.TransformerEncoderLayer>[];
    expect(l0.linear1.weight).not.toBe(l1.linear1.weight);
    expect(l0.linear1.weight.tolist()).toEqual(l1.linear1.weight.tolist());
  });
});
