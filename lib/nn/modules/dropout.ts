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

export class Dropout2d extends Dropout {
  override forward(input: Tensor): Tensor { return F.dropout2d(input, this.p, this.training); }
}
