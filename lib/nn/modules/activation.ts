// Activation modules: thin classes over nn.functional, printed as PyTorch prints them.
import type { Tensor } from '../../tensor';
import { Module } from '../module';
import * as F from '../functional';
import { pyFloat } from '../repr';

export class ReLU extends Module {
  constructor(readonly inplace = false) { super(); }
  override forward(input: Tensor): Tensor { return F.relu(input, { inplace: this.inplace }); }
  override extraRepr(): string { return this.inplace ? 'inplace=True' : ''; }
}

export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) { super(); }
  override forward(input: Tensor): Tensor { return F.leakyRelu(input, this.negativeSlope); }
  override extraRepr(): string { return `negative_slope=${pyFloat(this.negativeSlope)}`; }
}

export class ELU extends Module {
  constructor(readonly alpha = 1) { super(); }
  override forward(input: Tensor): Tensor { return F.elu(input, this.alpha); }
  override extraRepr(): string { return `alpha=${pyFloat(this.alpha)}`; }
}

export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') { super(); }
  override forward(input: Tensor): Tensor { return F.gelu(input, { approximate: this.approximate }); }
  override extraRepr(): string { return `approximate='${this.approximate}'`; }
}

export class SiLU extends Module {
  override forward(input: Tensor): Tensor { return F.silu(input); }
}

export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor { return F.sigmoid(input); }
}

export class Tanh extends Module {
  override forward(input: Tensor): Tensor { return F.tanh(input); }
}

export class Softplus extends Module {
  constructor(readonly beta = 1, readonly threshold = 20) { super(); }
  override forward(input: Tensor): Tensor { return F.softplus(input, this.beta, this.threshold); }
  override extraRepr(): string { return `beta=${pyFloat(this.beta)}, threshold=${pyFloat(this.threshold)}`; }
}

export class Hardtanh extends Module {
  constructor(readonly minVal = -1, readonly maxVal = 1) { super(); }
  override forward(input: Tensor): Tensor { return F.hardtanh(input, this.minVal, this.maxVal); }
  override extraRepr(): string { return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}`; }
}

export class Softmax extends Module {
  constructor(readonly dim: number) { super(); }
  override forward(input: Tensor): Tensor { return F.softmax(input, this.dim); }
  override extraRepr(): string { return `dim=${this.dim}`; }
}

export class LogSoftmax extends Module {
  constructor(readonly dim: number) { super(); }
  override forward(input: Tensor): Tensor { return F.logSoftmax(input, this.dim); }
  override extraRepr(): string { return `dim=${this.dim}`; }
}
