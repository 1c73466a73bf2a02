// Activation modules: thin classes over nn.functional (in-place variants where PyTorch has
// them), printed as PyTorch prints them.
import type { Tensor } from '../../tensor';
import { empty } from '../../generated/functions';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as F from '../functional';
import * as nnInit from '../init';
import { pyFloat } from '../repr';
import type { FactoryOptions } from './linear';

const inplaceText = (inplace: boolean, sep = '') => (inplace ? `${sep}inplace=True` : '');

export class ReLU extends Module {
  constructor(readonly inplace = false) { super(); }
  override forward(input: Tensor): Tensor { return F.relu(input, { inplace: this.inplace }); }
  override extraRepr(): string { return inplaceText(this.inplace); }
}

export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01, readonly inplace = false) { super(); }
  override forward(input: Tensor): Tensor {
    return this.inplace ? F.leakyRelu_(input, this.negativeSlope) : F.leakyRelu(input, this.negativeSlope);
  }
  override extraRepr(): string { return `negative_slope=${pyFloat(this.negativeSlope)}${inplaceText(this.inplace, ', ')}`; }
}

export class ELU extends Module {
  constructor(readonly alpha = 1, readonly inplace = false) { super(); }
  override forward(input: Tensor): Tensor { return this.inplace ? F.elu_(input, this.alpha) : F.elu(input, this.alpha); }
  override extraRepr(): string { return `alpha=${pyFloat(this.alpha)}${inplaceText(this.inplace, ', ')}`; }
}

export class CELU extends Module {
  constructor(readonly alpha = 1, readonly inplace = false) { super(); }
  override forward(input: Tensor): Tensor { return this.inplace ? F.celu_(input, this.alpha) : F.celu(input, this.alpha); }
  override extraRepr(): string { return `alpha=${pyFloat(this.alpha)}${inplaceText(this.inplace, ', ')}`; }
}

export class SELU extends Module {
  constructor(readonly inplace = false) { super(); }
  override forward(input: Tensor): Tensor { return this.inplace ? F.selu_(input) : F.selu(input); }
  override extraRepr(): string { return inplaceText(this.inplace); }
}

export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') { super(); }
  override forward(input: Tensor): Tensor { return F.gelu(input, { approximate: this.approximate }); }
  override extraRepr(): string { return `approximate='${this.approximate}'`; }
}

export class SiLU extends Module {
  constructor(readonly inplace = false) { super(); }
  override forward(input: Tensor): Tensor { return this.inplace ? F.silu_(input) : F.silu(input); }
  override extraRepr(): string { return inplaceText(this.inplace); }
}

export class Mish extends Module {
  constructor(readonly inplace = false) { super(); }
  override forward(input: Tensor): Tensor { return this.inplace ? F.mish_(input) : F.mish(input); }
  override extraRepr(): string { return inplaceText(this.inplace); }
}

/** PyTorch prints no inplace for Hardswish and Hardsigmoid. */
export class Hardswish extends Module {
  constructor(readonly inplace = false) { super(); }
  override forward(input: Tensor): Tensor { return this.inplace ? F.hardswish_(input) : F.hardswish(input); }
}

export class Hardsigmoid extends Module {
  constructor(readonly inplace = false) { super(); }
  override forward(input: Tensor): Tensor { return this.inplace ? F.hardsigmoid_(input) : F.hardsigmoid(input); }
}

export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor { return F.sigmoid(input); }
}

export class Tanh extends Module {
  override forward(input: Tensor): Tensor { return F.tanh(input); }
}

export class Softsign extends Module {
  override forward(input: Tensor): Tensor { return F.softsign(input); }
}

export class Tanhshrink extends Module {
  override forward(input: Tensor): Tensor { return F.tanhshrink(input); }
}

export class LogSigmoid extends Module {
  override forward(input: Tensor): Tensor { return F.logsigmoid(input); }
}

export class Softplus extends Module {
  constructor(readonly beta = 1, readonly threshold = 20) { super(); }
  override forward(input: Tensor): Tensor { return F.softplus(input, this.beta, this.threshold); }
  override extraRepr(): string { return `beta=${pyFloat(this.beta)}, threshold=${pyFloat(this.threshold)}`; }
}

export class Hardtanh extends Module {
  constructor(readonly minVal = -1, readonly maxVal = 1, readonly inplace = false) { super(); }
  override forward(input: Tensor): Tensor {
    return this.inplace ? F.hardtanh_(input, this.minVal, this.maxVal) : F.hardtanh(input, this.minVal, this.maxVal);
  }
  override extraRepr(): string { return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}${inplaceText(this.inplace, ', ')}`; }
}

export class ReLU6 extends Hardtanh {
  constructor(inplace = false) { super(0, 6, inplace); }
  override extraRepr(): string { return inplaceText(this.inplace); }
}

export class Threshold extends Module {
  constructor(readonly threshold: number, readonly value: number, readonly inplace = false) { super(); }
  override forward(input: Tensor): Tensor {
    return this.inplace ? F.threshold_(input, this.threshold, this.value) : F.threshold(input, this.threshold, this.value);
  }
  override extraRepr(): string { return `threshold=${pyFloat(this.threshold)}, value=${pyFloat(this.value)}${inplaceText(this.inplace, ', ')}`; }
}

export class Hardshrink extends Module {
  constructor(readonly lambd = 0.5) { super(); }
  override forward(input: Tensor): Tensor { return F.hardshrink(input, this.lambd); }
  override extraRepr(): string { return pyFloat(this.lambd); }
}

export class Softshrink extends Module {
  constructor(readonly lambd = 0.5) { super(); }
  override forward(input: Tensor): Tensor { return F.softshrink(input, this.lambd); }
  override extraRepr(): string { return pyFloat(this.lambd); }
}

export class GLU extends Module {
  constructor(readonly dim = -1) { super(); }
  override forward(input: Tensor): Tensor { return F.glu(input, this.dim); }
  override extraRepr(): string { return `dim=${this.dim}`; }
}

/** A learned negative slope per channel (or one shared), initialized to `init` (0.25). */
export class PReLU extends Module {
  weight: Parameter;
  constructor(readonly numParameters = 1, readonly init = 0.25, factory: FactoryOptions = {}) {
    super();
    this.weight = new Parameter(empty([numParameters], factory));
    this.resetParameters();
  }
  resetParameters(): void { nnInit.constant_(this.weight, this.init); }
  override forward(input: Tensor): Tensor { return F.prelu(input, this.weight); }
  override extraRepr(): string { return `num_parameters=${this.numParameters}`; }
}

export class Softmax extends Module {
  constructor(readonly dim: number) { super(); }
  override forward(input: Tensor): Tensor { return F.softmax(input, this.dim); }
  override extraRepr(): string { return `dim=${this.dim}`; }
}

export class Softmin extends Module {
  constructor(readonly dim: number) { super(); }
  override forward(input: Tensor): Tensor { return F.softmin(input, this.dim); }
  override extraRepr(): string { return `dim=${this.dim}`; }
}

export class LogSoftmax extends Module {
  constructor(readonly dim: number) { super(); }
  override forward(input: Tensor): Tensor { return F.logSoftmax(input, this.dim); }
  override extraRepr(): string { return `dim=${this.dim}`; }
}

/** Softmax over the channels of each location: dim -3 of a 3-D or 4-D input. */
export class Softmax2d extends Module {
  override forward(input: Tensor): Tensor {
    if (input.dim() !== 3 && input.dim() !== 4) throw new Error(`Softmax2d: expected input to be 3D or 4D, got ${input.dim()}D instead`);
    return F.softmax(input, -3);
  }
}
