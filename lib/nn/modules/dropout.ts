// Dropout modules (active in training mode only) and RReLU, printed as PyTorch prints them.
import type { Tensor } from '../../tensor';
import { Module } from '../module';
import * as F from '../functional';
import { pyFloat } from '../repr';

export class Dropout extends Module {
  constructor(readonly p = 0.5, readonly inplace = false) {
    super();
    if (p < 0 || p > 1) throw new Error(`dropout probability has to be between 0 and 1, but got ${p}`);
  }
  override forward(input: Tensor): Tensor { return F.dropout(input, this.p, this.training, { inplace: this.inplace }); }
  override extraRepr(): string { return `p=${pyFloat(this.p)}, inplace=${this.inplace ? 'True' : 'False'}`; }
}

export class Dropout1d extends Dropout {
  override forward(input: Tensor): Tensor { return F.dropout1d(input, this.p, this.training, { inplace: this.inplace }); }
}

export class Dropout2d extends Dropout {
  override forward(input: Tensor): Tensor { return F.dropout2d(input, this.p, this.training, { inplace: this.inplace }); }
}

export class Dropout3d extends Dropout {
  override forward(input: Tensor): Tensor { return F.dropout3d(input, this.p, this.training, { inplace: this.inplace }); }
}

export class AlphaDropout extends Dropout {
  override forward(input: Tensor): Tensor { return F.alphaDropout(input, this.p, this.training); }
}

export class FeatureAlphaDropout extends Dropout {
  override forward(input: Tensor): Tensor { return F.featureAlphaDropout(input, this.p, this.training); }
}

/** Leaky ReLU with a random negative slope in [lower, upper] while training, their mean in eval. */
export class RReLU extends Module {
  constructor(readonly lower = 1 / 8, readonly upper = 1 / 3, readonly inplace = false) { super(); }
  override forward(input: Tensor): Tensor { return F.rrelu(input, this.lower, this.upper, this.training, { inplace: this.inplace }); }
  override extraRepr(): string { return `lower=${pyFloat(this.lower)}, upper=${pyFloat(this.upper)}${this.inplace ? ', inplace=True' : ''}`; }
}
