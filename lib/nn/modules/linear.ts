// nn.Linear, nn.LazyLinear and nn.Identity, initialized exactly as PyTorch's reset_parameters does.
import type { Tensor } from '../../tensor';
import type { DType } from '../../dtype';
import type { DeviceLike } from '../../device';
import { empty } from '../../generated/functions';
import { noGrad } from '../../autograd';
import { Module, type StateDict, type LoadResult } from '../module';
import { Parameter } from '../parameter';
import * as init from '../init';
import * as F from '../functional';

export interface FactoryOptions {
  device?: DeviceLike;
  dtype?: DType;
}

/**
 * PyTorch's reset_parameters for Linear and the convolutions: kaiming_uniform_(a=sqrt(5)),
 * which is U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and the bias with the same bound.
 */
export function resetLinearParameters(weight: Tensor, bias: Tensor | null): void {
  init.kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias) {
    const [fanIn] = init.calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    init.uniform_(bias, -bound, bound);
  }
}

export class Identity extends Module {
  override forward(input: Tensor): Tensor {
    return input;
  }
}

export class Linear extends Module {
  inFeatures: number;
  outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, options: FactoryOptions & { bias?: boolean } = {}) {
    super();
    const { bias = true, ...factory } = options;
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(empty([outFeatures, inFeatures], factory));
    this.bias = bias ? new Parameter(empty([outFeatures], factory)) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    resetLinearParameters(this.weight, this.bias);
  }

  override forward(input: Tensor): Tensor {
    return F.linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
  }
}

/** y = x1^T A x2 + b, initialized as PyTorch's Bilinear (U(-1/sqrt(in1), 1/sqrt(in1))). */
export class Bilinear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(readonly in1Features: number, readonly in2Features: number, readonly outFeatures: number,
    options: FactoryOptions & { bias?: boolean } = {}) {
    super();
    const { bias = true, ...factory } = options;
    this.weight = new Parameter(empty([outFeatures, in1Features, in2Features], factory));
    this.bias = bias ? new Parameter(empty([outFeatures], factory)) : null;
    const bound = 1 / Math.sqrt(in1Features);
    init.uniform_(this.weight, -bound, bound);
    if (this.bias) init.uniform_(this.bias, -bound, bound);
  }

  override forward(input1: Tensor, input2: Tensor): Tensor {
    return F.bilinear(input1, input2, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
  }
}

const UNINITIALIZED_SHAPE = "Can't access the shape of an uninitialized parameter or buffer. This error usually happens "
  + 'in `load_state_dict` when trying to load an uninitialized parameter into an initialized one. Call `forward` to '
  + 'initialize the parameters before accessing their attributes.';

/**
 * PyTorch's UninitializedParameter: a parameter whose shape is not known yet (it holds only a
 * dtype and a device) until materialize(shape) turns it, the same object, into a Parameter.
 */
export class UninitializedParameter extends Parameter {
  constructor(requiresGrad = true, options: FactoryOptions = {}) {
    super(empty([0], options), requiresGrad);
  }

  override get shape(): number[] {
    throw new Error(UNINITIALIZED_SHAPE);
  }

  /** Gives the parameter its storage (uninitialized values) and makes it a plain Parameter, in place. */
  materialize(shape: number[], options: FactoryOptions = {}): void {
    const requiresGrad = this.requiresGrad;
    const data = empty(shape, { device: options.device ?? this.device, dtype: options.dtype ?? this.dtype });
    this._h = data._h; // same object, new storage: an optimizer made before keeps it
    Object.setPrototypeOf(this, Parameter.prototype);
    this.requiresGrad_(requiresGrad);
  }

  override toString(): string {
    return '<UninitializedParameter>';
  }
}

/**
 * A Linear whose inFeatures is inferred from the first input (its last dimension), as PyTorch's
 * LazyModuleMixin does: until then weight and bias are UninitializedParameters and inFeatures is
 * 0; then they are materialized and initialized as a Linear made at that point, and a LazyLinear
 * (not a subclass of it) becomes a Linear, as PyTorch's cls_to_become.
 */
export class LazyLinear extends Linear {
  constructor(outFeatures: number, options: FactoryOptions & { bias?: boolean } = {}) {
    const { bias = true, ...factory } = options;
    super(0, 0, { bias: false });
    this.weight = new UninitializedParameter(true, factory);
    this.outFeatures = outFeatures;
    if (bias) this.bias = new UninitializedParameter(true, factory);
  }

  /** True while weight or bias has no shape yet. */
  hasUninitializedParams(): boolean {
    return this.weight instanceof UninitializedParameter || this.bias instanceof UninitializedParameter;
  }

  override resetParameters(): void {
    if (!this.hasUninitializedParams() && this.inFeatures !== 0) super.resetParameters();
  }

  /** Takes inFeatures from the input's last dimension, materializes and initializes the parameters. */
  initializeParameters(input: Tensor): void {
    if (!this.hasUninitializedParams()) return;
    const shape = input.shape;
    if (shape.length === 0) throw new Error('LazyLinear: expected an input with at least 1 dimension to infer in_features, got a 0-d tensor');
    noGrad(() => {
      this.inFeatures = shape[shape.length - 1];
      (this.weight as UninitializedParameter).materialize([this.outFeatures, this.inFeatures]);
      if (this.bias) (this.bias as UninitializedParameter).materialize([this.outFeatures]);
      this.resetParameters();
    });
  }

  override forward(input: Tensor): Tensor {
    this.initializeParameters(input);
    if (Object.getPrototypeOf(this) === LazyLinear.prototype) Object.setPrototypeOf(this, Linear.prototype);
    return super.forward(input);
  }

  /** Materializes the parameters with the shapes of the state dict's (PyTorch's lazy load hook), then loads it. */
  override loadStateDict(stateDict: StateDict, options: { strict?: boolean } = {}): LoadResult {
    const weight = stateDict?.weight;
    if (this.weight instanceof UninitializedParameter && weight && !(weight instanceof UninitializedParameter)) {
      this.weight.materialize(weight.shape);
      this.inFeatures = weight.shape[1] ?? 0;
    }
    const bias = stateDict?.bias;
    if (this.bias instanceof UninitializedParameter && bias && !(bias instanceof UninitializedParameter)) {
      this.bias.materialize(bias.shape);
    }
    return super.loadStateDict(stateDict, options);
  }
}
