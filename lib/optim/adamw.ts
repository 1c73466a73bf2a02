// torch.optim.AdamW: Adam with decoupled weight decay (the parameter shrinks by lr * weightDecay
// each step, outside the moment estimates); weightDecay defaults to 1e-2.
import { Adam, type AdamOptions } from './adam';
import type { ParamsLike } from './optimizer';

export type AdamWOptions = Omit<AdamOptions, 'decoupledWeightDecay'>;

export class AdamW extends Adam {
  protected static override readonly defaultOverrides: Partial<AdamOptions> = { weightDecay: 1e-2, decoupledWeightDecay: true };

  constructor(params: ParamsLike<AdamOptions>, options: Partial<AdamWOptions> = {}) {
    if ('decoupledWeightDecay' in options) throw new TypeError("AdamW: unknown option 'decoupledWeightDecay' (AdamW always decouples)");
    super(params, options);
  }

  /** Groups loaded from any dict (even Adam's) keep decoupled weight decay, as in PyTorch. */
  protected override afterLoadStateDict(): void {
    for (const group of this.paramGroups) group.decoupledWeightDecay = true;
  }
}
