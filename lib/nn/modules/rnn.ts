// RNN, LSTM, GRU and their cells over libtorch's fused kernels (aten::lstm, gru, rnn_tanh,
// rnn_relu and the *_cell ops), with PyTorch's parameter names, shapes, initialization
// (every parameter U(-1/sqrt(hidden), 1/sqrt(hidden)), in registration order) and returns.
import type { Tensor } from '../../tensor';
import { empty, zeros, lstm, gru, rnnTanh, rnnRelu, lstmCell, gruCell, rnnTanhCell, rnnReluCell } from '../../generated/functions';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as init from '../init';
import { pyFloat } from '../repr';
import type { FactoryOptions } from './linear';

type Mode = 'LSTM' | 'GRU' | 'RNN_TANH' | 'RNN_RELU';
const GATES: Record<Mode, number> = { LSTM: 4, GRU: 3, RNN_TANH: 1, RNN_RELU: 1 };

export interface RNNOptions extends FactoryOptions {
  numLayers?: number;
  bias?: boolean;
  batchFirst?: boolean;
  dropout?: number;
  bidirectional?: boolean;
}

export interface LSTMOptions extends RNNOptions {
  /** Projects each hidden state to this size (LSTMs with projections, weight_hr_l*). */
  projSize?: number;
}

abstract class RNNBase extends Module {
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly projSize: number;

  constructor(readonly mode: Mode, readonly inputSize: number, readonly hiddenSize: number, options: LSTMOptions) {
    super();
    const { numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false, projSize = 0, ...factory } = options;
    if (!Number.isSafeInteger(numLayers)) throw new TypeError(`numLayers must be an integer, got ${numLayers}`);
    if (numLayers < 1) throw new RangeError('num_layers must be greater than zero');
    if (dropout < 0 || dropout > 1) throw new Error('dropout should be a number in range [0, 1] representing the probability of an element being zeroed');
    if (projSize < 0) throw new Error('proj_size should be a positive integer or zero to disable projections');
    if (projSize >= hiddenSize) throw new Error('proj_size has to be smaller than hidden_size');
    if (projSize > 0 && mode !== 'LSTM') throw new Error('proj_size argument is only supported for LSTM, not RNN or GRU');
    this.projSize = projSize;
    this.numLayers = numLayers;
    this.bias = bias;
    this.batchFirst = batchFirst;
    this.dropout = dropout;
    this.bidirectional = bidirectional;
    const gateSize = GATES[mode] * hiddenSize;
    const directions = bidirectional ? 2 : 1;
    const realHidden = this.outputHiddenSize;
    const self = this as unknown as Record<string, Parameter>;
    // PyTorch's registration order (w_ih, w_hh, b_ih, b_hh, w_hr) is the order libtorch's kernels read them in.
    for (let layer = 0; layer < numLayers; layer++) {
      for (let direction = 0; direction < directions; direction++) {
        const layerInput = layer === 0 ? inputSize : realHidden * directions;
        const suffix = `L${layer}${direction === 1 ? 'Reverse' : ''}`;
        self[`weightIh${suffix}`] = new Parameter(empty([gateSize, layerInput], factory));
        self[`weightHh${suffix}`] = new Parameter(empty([gateSize, realHidden], factory));
        if (bias) {
          self[`biasIh${suffix}`] = new Parameter(empty([gateSize], factory));
          self[`biasHh${suffix}`] = new Parameter(empty([gateSize], factory));
        }
        if (projSize > 0) self[`weightHr${suffix}`] = new Parameter(empty([projSize, hiddenSize], factory));
      }
    }
    this.resetParameters();
  }

  resetParameters(): void {
    const stdv = this.hiddenSize > 0 ? 1 / Math.sqrt(this.hiddenSize) : 0;
    for (const p of this.parameters()) init.uniform_(p, -stdv, stdv);
  }

  protected get directions(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** The size of h (and of the output's features per direction): projSize if set. */
  protected get outputHiddenSize(): number {
    return this.projSize > 0 ? this.projSize : this.hiddenSize;
  }

  /** The input made batched (unbatched 2-D input is allowed, as in PyTorch), and how to undo it. */
  protected batched(input: Tensor): [Tensor, boolean] {
    // libtorch's fused kernels do not check sizes; Python's RNN classes do, with these messages.
    if (input.dim() !== 2 && input.dim() !== 3) {
      throw new Error(`${this.constructor.name}: Expected input to be 2D or 3D, got ${input.dim()}D instead`);
    }
    if (input.size(-1) !== this.inputSize) {
      throw new Error(`input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${input.size(-1)}`);
    }
    return input.dim() === 3 ? [input, false] : [input.unsqueeze(this.batchFirst ? 0 : 1), true];
  }

  protected checkHidden(hx: Tensor, input: Tensor, size = this.hiddenSize, what = 'hidden'): Tensor {
    const expected = [this.numLayers * this.directions, input.size(this.batchFirst ? 0 : 1), size];
    if (hx.shape.join() !== expected.join()) {
      throw new Error(`Expected ${what} size (${expected.join(', ')}), got [${hx.shape.join(', ')}]`);
    }
    return hx;
  }

  protected zeroState(input: Tensor, size = this.hiddenSize): Tensor {
    const batch = input.size(this.batchFirst ? 0 : 1);
    return zeros([this.numLayers * this.directions, batch, size], { dtype: input.dtype, device: input.device });
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.projSize !== 0) s += `, proj_size=${this.projSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (!this.bias) s += ', bias=False';
    if (this.batchFirst) s += ', batch_first=True';
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional) s += ', bidirectional=True';
    return s;
  }
}

/** LSTM: forward(input, [h0, c0]?) returns [output, [hN, cN]]; h has projSize features when set. */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options: LSTMOptions = {}) {
    super('LSTM', inputSize, hiddenSize, options);
  }

  override forward(input: Tensor, hx: [Tensor, Tensor] | null = null): [Tensor, [Tensor, Tensor]] {
    const [x, unbatched] = this.batched(input);
    const state = hx
      ? (unbatched ? [hx[0].unsqueeze(1), hx[1].unsqueeze(1)] : hx)
        .map((t, i) => this.checkHidden(t, x, i === 0 ? this.outputHiddenSize : this.hiddenSize, `hidden[${i}]`))
      : [this.zeroState(x, this.outputHiddenSize), this.zeroState(x)];
    const [output, h, c] = lstm(x, state, this.parameters(), this.bias, this.numLayers, this.dropout, this.training,
      this.bidirectional, this.batchFirst) as unknown as Tensor[];
    if (unbatched) return [output.squeeze(this.batchFirst ? 0 : 1), [h.squeeze(1), c.squeeze(1)]];
    return [output, [h, c]];
  }
}

/** GRU: forward(input, h0?) returns [output, hN]. */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super('GRU', inputSize, hiddenSize, options);
  }

  override forward(input: Tensor, hx: Tensor | null = null): [Tensor, Tensor] {
    const [x, unbatched] = this.batched(input);
    const h0 = hx ? this.checkHidden(unbatched ? hx.unsqueeze(1) : hx, x) : this.zeroState(x);
    const [output, h] = gru(x, h0, this.parameters(), this.bias, this.numLayers, this.dropout, this.training,
      this.bidirectional, this.batchFirst) as unknown as Tensor[];
    return unbatched ? [output.squeeze(this.batchFirst ? 0 : 1), h.squeeze(1)] : [output, h];
  }
}

/** Elman RNN (tanh or relu): forward(input, h0?) returns [output, hN]. */
export class RNN extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNOptions & { nonlinearity?: 'tanh' | 'relu' } = {}) {
    const { nonlinearity = 'tanh', ...rest } = options;
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') throw new Error(`Unknown nonlinearity '${String(nonlinearity)}'. Select from 'tanh' or 'relu'.`);
    super(nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', inputSize, hiddenSize, rest);
  }

  override forward(input: Tensor, hx: Tensor | null = null): [Tensor, Tensor] {
    const [x, unbatched] = this.batched(input);
    const h0 = hx ? this.checkHidden(unbatched ? hx.unsqueeze(1) : hx, x) : this.zeroState(x);
    const op = this.mode === 'RNN_TANH' ? rnnTanh : rnnRelu;
    const [output, h] = op(x, h0, this.parameters(), this.bias, this.numLayers, this.dropout, this.training,
      this.bidirectional, this.batchFirst) as unknown as Tensor[];
    return unbatched ? [output.squeeze(this.batchFirst ? 0 : 1), h.squeeze(1)] : [output, h];
  }
}

// ---- cells ---------------------------------------------------------------------------------

abstract class CellBase extends Module {
  weightIh: Parameter;
  weightHh: Parameter;
  biasIh: Parameter | null;
  biasHh: Parameter | null;

  constructor(readonly inputSize: number, readonly hiddenSize: number, gates: number, options: CellOptions) {
    super();
    const { bias = true, nonlinearity: _n, ...factory } = options;
    this.weightIh = new Parameter(empty([gates * hiddenSize, inputSize], factory));
    this.weightHh = new Parameter(empty([gates * hiddenSize, hiddenSize], factory));
    this.biasIh = bias ? new Parameter(empty([gates * hiddenSize], factory)) : null;
    this.biasHh = bias ? new Parameter(empty([gates * hiddenSize], factory)) : null;
    const stdv = hiddenSize > 0 ? 1 / Math.sqrt(hiddenSize) : 0;
    for (const p of this.parameters()) init.uniform_(p, -stdv, stdv);
  }

  protected zeros(input: Tensor): Tensor {
    return zeros([input.size(0), this.hiddenSize], { dtype: input.dtype, device: input.device });
  }

  /** Unbatched (1-D) input and state made batches of one, and the results made 1-D again, as in PyTorch. */
  protected call<S extends Tensor | Tensor[]>(input: Tensor, hx: S | null, cell: (x: Tensor, h: S | null) => S): S {
    const name = this.constructor.name;
    if (input.dim() !== 1 && input.dim() !== 2) throw new Error(`${name}: Expected input to be 1D or 2D, got ${input.dim()}D instead`);
    for (const h of hx === null ? [] : Array.isArray(hx) ? hx : [hx]) {
      if (h.dim() !== 1 && h.dim() !== 2) throw new Error(`${name}: Expected hidden to be 1D or 2D, got ${h.dim()}D instead`);
    }
    if (input.dim() === 2) return cell(input, hx);
    const up = (h: S | null) => (h === null ? null : Array.isArray(h) ? h.map((t) => t.unsqueeze(0)) : h.unsqueeze(0)) as S | null;
    const out = cell(input.unsqueeze(0), up(hx));
    return (Array.isArray(out) ? out.map((t) => t.squeeze(0)) : out.squeeze(0)) as S;
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.biasIh ? '' : ', bias=False'}`;
  }
}

export type CellOptions = FactoryOptions & { bias?: boolean; nonlinearity?: 'tanh' | 'relu' };

export class LSTMCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, options: FactoryOptions & { bias?: boolean } = {}) {
    super(inputSize, hiddenSize, 4, options);
  }

  override forward(input: Tensor, hx: [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    return this.call(input, hx, (x, h) => lstmCell(x, h ?? [this.zeros(x), this.zeros(x)], this.weightIh, this.weightHh,
      this.biasIh, this.biasHh) as unknown as [Tensor, Tensor]);
  }
}

export class GRUCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, options: FactoryOptions & { bias?: boolean } = {}) {
    super(inputSize, hiddenSize, 3, options);
  }

  override forward(input: Tensor, hx: Tensor | null = null): Tensor {
    return this.call(input, hx, (x, h) => gruCell(x, h ?? this.zeros(x), this.weightIh, this.weightHh, this.biasIh, this.biasHh));
  }
}

export class RNNCell extends CellBase {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(inputSize: number, hiddenSize: number, options: CellOptions = {}) {
    super(inputSize, hiddenSize, 1, options);
    this.nonlinearity = options.nonlinearity ?? 'tanh';
    if (this.nonlinearity !== 'tanh' && this.nonlinearity !== 'relu') throw new Error(`Unknown nonlinearity: ${String(this.nonlinearity)}`);
  }

  override forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const op = this.nonlinearity === 'relu' ? rnnReluCell : rnnTanhCell;
    return this.call(input, hx, (x, h) => op(x, h ?? this.zeros(x), this.weightIh, this.weightHh, this.biasIh, this.biasHh));
  }

  override extraRepr(): string {
    return super.extraRepr() + (this.nonlinearity !== 'tanh' ? `, nonlinearity=${this.nonlinearity}` : '');
  }
}
