// Loss names for Trainer.compile, mapped onto nn.functional. The model outputs what a torch
// model outputs: logits for classification (no final softmax or sigmoid), so each
// classification name takes logits, unlike Keras's defaults (from_logits=False):
//   'sparseCategoricalCrossentropy'  crossEntropy(logits [N, C], class indices [N], integer)
//   'categoricalCrossentropy'        crossEntropy(logits [N, C], probabilities or one-hot [N, C], float)
//   'crossEntropy'                   crossEntropy with either kind of target (PyTorch chooses by dtype)
//   'binaryCrossentropy' / 'bce'     binaryCrossEntropyWithLogits(logits, 0/1 targets)
//   'nll'                            nllLoss(log-probabilities, class indices): a model ending in LogSoftmax
//   'mse', 'mae', 'huber', 'smoothL1' the regression losses of the same names
import type { Tensor } from '../../tensor';
import { Module } from '../../nn/module';
import * as F from '../../nn/functional';
import { int64 } from '../../dtype';

/** A loss: (model output, target) -> a scalar tensor (mean over the batch). */
export type LossFn = (output: Tensor, target: Tensor) => Tensor;
export type LossName = keyof typeof LOSSES;
export type LossSpec = LossName | LossFn | Module;

/** Shapes that differ only by size-1 dims (output [N, 1], target [N]): Keras reshapes such targets. */
function matchShape(output: Tensor, target: Tensor, loss: string): Tensor {
  if (output.shape.join() === target.shape.join()) return target;
  if (output.numel() === target.numel() && output.size(0) === target.size(0)) return target.reshape(output.shape);
  throw new Error(`loss '${loss}': expected a target of the output's shape [${output.shape}], got [${target.shape}]`);
}

function classIndices(output: Tensor, target: Tensor, loss: string): Tensor {
  if (target.dtype.isFloatingPoint) {
    throw new Error(`loss '${loss}': expected integer class indices for the target, got ${target.dtype}` +
      " (one-hot or probability targets go with 'categoricalCrossentropy')");
  }
  if (target.dim() !== output.dim() - 1) {
    throw new Error(`loss '${loss}': expected class indices of shape [${output.shape.filter((_, i) => i !== 1)}] for output [${output.shape}], got [${target.shape}]`);
  }
  // int64, which libtorch's class-index losses require (uint8 labels, as in MNIST's files, are common)
  return target.dtype === int64 ? target : target.long();
}

function probabilities(output: Tensor, target: Tensor, loss: string): Tensor {
  if (!target.dtype.isFloatingPoint || target.shape.join() !== output.shape.join()) {
    throw new Error(`loss '${loss}': expected float one-hot or probability targets of shape [${output.shape}], got ${target.dtype} [${target.shape}]` +
      " (class indices go with 'sparseCategoricalCrossentropy')");
  }
  return target;
}

const bce: LossFn = (o, t) => F.binaryCrossEntropyWithLogits(o, matchShape(o, t, 'bce').to(o.dtype));

export const LOSSES = {
  mse: (o: Tensor, t: Tensor) => F.mseLoss(o, matchShape(o, t, 'mse')),
  meanSquaredError: (o: Tensor, t: Tensor) => F.mseLoss(o, matchShape(o, t, 'meanSquaredError')),
  mae: (o: Tensor, t: Tensor) => F.l1Loss(o, matchShape(o, t, 'mae')),
  meanAbsoluteError: (o: Tensor, t: Tensor) => F.l1Loss(o, matchShape(o, t, 'meanAbsoluteError')),
  huber: (o: Tensor, t: Tensor) => F.huberLoss(o, matchShape(o, t, 'huber')),
  smoothL1: (o: Tensor, t: Tensor) => F.smoothL1Loss(o, matchShape(o, t, 'smoothL1')),
  crossEntropy: (o: Tensor, t: Tensor) => F.crossEntropy(o, t.dtype.isFloatingPoint ? t : classIndices(o, t, 'crossEntropy')),
  sparseCategoricalCrossentropy: (o: Tensor, t: Tensor) => F.crossEntropy(o, classIndices(o, t, 'sparseCategoricalCrossentropy')),
  categoricalCrossentropy: (o: Tensor, t: Tensor) => F.crossEntropy(o, probabilities(o, t, 'categoricalCrossentropy')),
  nll: (o: Tensor, t: Tensor) => F.nllLoss(o, classIndices(o, t, 'nll')),
  bce,
  binaryCrossentropy: bce,
} satisfies Record<string, LossFn>;

/** Losses whose outputs are logits of independent 0/1 labels (binary accuracy thresholds them at 0). */
export const BINARY_LOGIT_LOSSES = new Set<string>(['bce', 'binaryCrossentropy']);

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A loss name, function or loss module (nn.MSELoss()) as a function; unknown names throw. */
export function resolveLoss(spec: LossSpec | undefined): LossFn {
  if (spec instanceof Module) return (o, t) => spec.forward(o, t) as Tensor;
  if (typeof spec === 'function') return spec;
  if (typeof spec === 'string' && Object.hasOwn(LOSSES, spec)) return LOSSES[spec as LossName];
  const known = Object.keys(LOSSES).map((k) => `'${k}'`).join(', ');
  if (typeof spec === 'string') {
    const hint = Object.hasOwn(LOSSES, camel(spec)) ? ` (did you mean '${camel(spec)}'?)` : '';
    throw new Error(`compile(): unknown loss '${spec}'${hint}; expected one of ${known}, a function or an nn loss module`);
  }
  throw new TypeError(`compile(): expected a loss name (${known}), a function or an nn loss module, got ${spec === undefined ? 'nothing' : typeof spec}`);
}
