// The padding modules of PyTorch's torch/nn/modules/padding.py (zero, constant, reflection,
// replication, circular; 1-d to 3-d) and ChannelShuffle: each forward is one nn.functional call,
// so libtorch checks the sizes and its messages reach JS unchanged.
import type { Tensor } from '../../tensor';
import { Module } from '../module';
import * as F from '../functional';
import { pyFloat } from '../repr';
import type { Size } from '../types';

type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/** PyTorch's _ntuple: one int repeated 2*dims times, or the array as given (F.pad checks its length). */
function padTuple(padding: Size, dims: number): number[] {
  const ok = Array.isArray(padding) ? padding.every(Number.isSafeInteger) : Number.isSafeInteger(padding);
  if (!ok) throw new TypeError(`expected an integer or an array of integers for padding, got ${JSON.stringify(padding)}`);
  return Array.isArray(padding) ? [...padding] : new Array<number>(2 * dims).fill(padding);
}

const pyTuple = (t: number[]) => `(${t.join(', ')}${t.length === 1 ? ',' : ''})`;

/** Python prints the value as the user wrote it; a JS number that is an integer reads as an int. */
const pyNumber = (x: number) => (Number.isInteger(x) ? String(x) : pyFloat(x));

/** What every padding module shares: the padding tuple, F.pad in one mode, the tuple as repr. */
abstract class PadNd extends Module {
  readonly padding: number[];

  protected constructor(padding: Size, dims: number, private readonly padMode: PadMode) {
    super();
    this.padding = padTuple(padding, dims);
  }

  override forward(input: Tensor): Tensor {
    return F.pad(input, this.padding, this.padMode);
  }

  override extraRepr(): string {
    return pyTuple(this.padding);
  }
}

/** Pads with a constant value. */
abstract class ConstantPadNd extends PadNd {
  protected constructor(padding: Size, dims: number, readonly value: number) {
    super(padding, dims, 'constant');
  }

  override forward(input: Tensor): Tensor {
    return F.pad(input, this.padding, 'constant', this.value);
  }

  override extraRepr(): string {
    return `padding=${pyTuple(this.padding)}, value=${pyNumber(this.value)}`;
  }
}

export class ConstantPad1d extends ConstantPadNd {
  /** padding: one int for both sides, or (left, right). */
  constructor(padding: Size, value: number) { super(padding, 1, value); }
}

export class ConstantPad2d extends ConstantPadNd {
  /** padding: one int for all sides, or (left, right, top, bottom). */
  constructor(padding: Size, value: number) { super(padding, 2, value); }
}

export class ConstantPad3d extends ConstantPadNd {
  /** padding: one int for all sides, or (left, right, top, bottom, front, back). */
  constructor(padding: Size, value: number) { super(padding, 3, value); }
}

export class ZeroPad1d extends ConstantPad1d {
  constructor(padding: Size) { super(padding, 0); }
  override extraRepr(): string { return pyTuple(this.padding); }
}

export class ZeroPad2d extends ConstantPad2d {
  constructor(padding: Size) { super(padding, 0); }
  override extraRepr(): string { return pyTuple(this.padding); }
}

export class ZeroPad3d extends ConstantPad3d {
  constructor(padding: Size) { super(padding, 0); }
  override extraRepr(): string { return pyTuple(this.padding); }
}

/** Pads with the reflection of the input, its edge not repeated; each pad must be smaller than its dimension. */
export class ReflectionPad1d extends PadNd {
  constructor(padding: Size) { super(padding, 1, 'reflect'); }
}

export class ReflectionPad2d extends PadNd {
  constructor(padding: Size) { super(padding, 2, 'reflect'); }
}

export class ReflectionPad3d extends PadNd {
  constructor(padding: Size) { super(padding, 3, 'reflect'); }
}

/** Pads by repeating the edge value of the input. */
export class ReplicationPad1d extends PadNd {
  constructor(padding: Size) { super(padding, 1, 'replicate'); }
}

export class ReplicationPad2d extends PadNd {
  constructor(padding: Size) { super(padding, 2, 'replicate'); }
}

export class ReplicationPad3d extends PadNd {
  constructor(padding: Size) { super(padding, 3, 'replicate'); }
}

/** Pads with the values from the other end (wrapping around); checks the input's rank first, as PyTorch does. */
abstract class CircularPadNd extends PadNd {
  protected constructor(padding: Size, private readonly dims: number) {
    super(padding, dims, 'circular');
  }

  override forward(input: Tensor): Tensor {
    const d = input.dim();
    if (d !== this.dims + 1 && d !== this.dims + 2) {
      throw new Error(`expected ${this.dims + 1}D or ${this.dims + 2}D input (got ${d}D input)`);
    }
    return super.forward(input);
  }
}

export class CircularPad1d extends CircularPadNd {
  constructor(padding: Size) { super(padding, 1); }
}

export class CircularPad2d extends CircularPadNd {
  constructor(padding: Size) { super(padding, 2); }
}

export class CircularPad3d extends CircularPadNd {
  constructor(padding: Size) { super(padding, 3); }
}

/** Splits the channels into groups and interleaves them: (N, g*k, ...) -> channels ordered k-major. */
export class ChannelShuffle extends Module {
  constructor(readonly groups: number) { super(); }
  override forward(input: Tensor): Tensor { return F.channelShuffle(input, this.groups); }
  override extraRepr(): string { return `groups=${this.groups}`; }
}
