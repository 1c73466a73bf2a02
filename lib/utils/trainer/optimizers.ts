// Optimizer names for Trainer.compile. Names get PyTorch's defaults (Adam lr 1e-3, SGD lr
// 1e-3, RMSprop lr 1e-2, ...), not Keras's; for other settings pass an optimizer or a
// factory: `optimizer: (params) => new torch.optim.SGD(params, { lr: 0.01, momentum: 0.9 })`.
import type { Parameter } from '../../nn/parameter';
import { Optimizer, SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, LBFGS } from '../../optim/index';

export const OPTIMIZERS = {
  sgd: (p: Parameter[]) => new SGD(p),
  adam: (p: Parameter[]) => new Adam(p),
  adamw: (p: Parameter[]) => new AdamW(p),
  rmsprop: (p: Parameter[]) => new RMSprop(p),
  adagrad: (p: Parameter[]) => new Adagrad(p),
  adadelta: (p: Parameter[]) => new Adadelta(p),
  lbfgs: (p: Parameter[]) => new LBFGS(p),
};

export type OptimizerName = keyof typeof OPTIMIZERS;
type AnyOptimizer = Optimizer<any>;
export type OptimizerSpec = OptimizerName | AnyOptimizer | ((params: Parameter[]) => AnyOptimizer);

/** The optimizer for these parameters; it must hold at least one of them (else nothing would train). */
export function resolveOptimizer(spec: OptimizerSpec | undefined, params: Parameter[]): AnyOptimizer {
  const known = Object.keys(OPTIMIZERS).map((k) => `'${k}'`).join(', ');
  if (params.length === 0) throw new Error('compile(): the model has no parameters to train');
  let optimizer: unknown;
  if (spec instanceof Optimizer) optimizer = spec;
  else if (typeof spec === 'function') optimizer = spec(params);
  else if (typeof spec === 'string' && Object.hasOwn(OPTIMIZERS, spec)) optimizer = OPTIMIZERS[spec](params);
  else if (typeof spec === 'string') throw new Error(`compile(): unknown optimizer '${spec}'; expected one of ${known}, an optimizer or a function of the parameters`);
  else throw new TypeError(`compile(): expected an optimizer (${known}, a torch.optim optimizer or a function of the parameters), got ${spec === undefined ? 'nothing' : typeof spec}`);
  if (!(optimizer instanceof Optimizer)) throw new TypeError('compile(): the optimizer function did not return a torch.optim optimizer');
  const own = new Set<unknown>(params);
  if (!(optimizer as AnyOptimizer).paramGroups.some((g: { params: unknown[] }) => g.params.some((p: unknown) => own.has(p)))) {
    throw new Error("compile(): the optimizer holds none of the model's parameters");
  }
  return optimizer;
}
