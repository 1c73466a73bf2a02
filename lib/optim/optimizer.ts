// torch.optim.Optimizer: parameter groups with per-group options (readable and writable,
// as PyTorch's param_groups), per-parameter state, zeroGrad, stateDict/loadStateDict.
import type { Tensor } from '../tensor';
import { noGrad } from '../autograd';

export type ParamGroup<O> = O & { params: Tensor[] };
export type ParamsLike<O> = Iterable<Tensor> | Partial<ParamGroup<O>>[];
export type OptimizerState = Record<string, Tensor | number>;

export interface OptimizerStateDict<O> {
  state: Record<number, OptimizerState>;
  paramGroups: (O & { params: number[] })[];
}

export abstract class Optimizer<O extends object = Record<string, unknown>> {
  readonly paramGroups: ParamGroup<O>[] = [];
  readonly state = new Map<Tensor, OptimizerState>();

  constructor(params: ParamsLike<O>, readonly defaults: O) {
    const list = [...(params as Iterable<Tensor | Partial<ParamGroup<O>>>)];
    if (list.length === 0) throw new Error('optimizer got an empty parameter list');
    const isGroup = (v: unknown): v is Partial<ParamGroup<O>> => typeof v === 'object' && v !== null && 'params' in v;
    if (list.every(isGroup)) for (const g of list) this.addParamGroup(g as Partial<ParamGroup<O>>);
    else this.addParamGroup({ params: list as Tensor[] } as Partial<ParamGroup<O>>);
  }

  addParamGroup(group: Partial<ParamGroup<O>>): void {
    const params = [...(group.params ?? [])];
    for (const existing of this.paramGroups) {
      if (params.some((p) => existing.params.includes(p))) throw new Error('some parameters appear in more than one parameter group');
    }
    this.paramGroups.push({ ...this.defaults, ...group, params } as ParamGroup<O>);
  }

  /** Sets gradients to null (the default, as in PyTorch 2) or to zero. */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    const setToNone = options.setToNone ?? true;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const g = p.grad;
        if (g === null) continue;
        if (setToNone) p.grad = null;
        else noGrad(() => g.zero_());
      }
    }
  }

  /** One update; `closure` re-evaluates the model and returns the loss (needed by LBFGS). */
  step(closure?: () => Tensor | number): Tensor | number | undefined {
    let loss: Tensor | number | undefined;
    if (closure) loss = closure();
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          if (p.grad === null) continue;
          let state = this.state.get(p);
          if (!state) this.state.set(p, (state = {}));
          this.update(p, p.grad, state, group);
        }
      }
    });
    return loss;
  }

  /** The rule for one parameter, run without autograd. */
  protected abstract update(param: Tensor, grad: Tensor, state: OptimizerState, group: ParamGroup<O>): void;

  /** Options and state, parameters referred to by position (as PyTorch does); tensors cloned. */
  stateDict(): OptimizerStateDict<O> {
    const all = this.paramGroups.flatMap((g) => g.params);
    const state: Record<number, OptimizerState> = {};
    all.forEach((p, i) => {
      const s = this.state.get(p);
      if (s) state[i] = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, typeof v === 'number' ? v : v.clone()]));
    });
    let offset = 0;
    const paramGroups = this.paramGroups.map(({ params, ...options }) => {
      const indices = params.map((_, i) => offset + i);
      offset += params.length;
      return { ...(options as unknown as O), params: indices };
    });
    return { state, paramGroups };
  }

  loadStateDict(stateDict: OptimizerStateDict<O>): void {
    if (stateDict.paramGroups.length !== this.paramGroups.length) {
      throw new Error('loaded state dict has a different number of parameter groups');
    }
    const all = this.paramGroups.flatMap((g) => g.params);
    stateDict.paramGroups.forEach((saved, i) => {
      if (saved.params.length !== this.paramGroups[i].params.length) {
        throw new Error("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      }
      const { params: _indices, ...options } = saved;
      Object.assign(this.paramGroups[i], options);
    });
    this.state.clear();
    for (const [index, s] of Object.entries(stateDict.state)) {
      const p = all[Number(index)];
      this.state.set(p, Object.fromEntries(Object.entries(s).map(([k, v]) => [k, typeof v === 'number' ? v : v.clone().to(p.device)])));
    }
  }
}
