// The hyperparameter checks Adam and its relatives (AdamW, NAdam, RAdam, Adamax) share, with PyTorch's messages.
export interface AdamFamilyChecked {
  lr: number;
  eps: number;
  betas: [number, number];
  weightDecay: number;
}

export function checkAdamFamily<O extends AdamFamilyChecked>(defaults: O): O {
  if (!(defaults.lr >= 0)) throw new Error(`Invalid learning rate: ${defaults.lr}`);
  if (!(defaults.eps >= 0)) throw new Error(`Invalid epsilon value: ${defaults.eps}`);
  if (!Array.isArray(defaults.betas) || defaults.betas.length !== 2) throw new Error('betas must be a pair [beta1, beta2]');
  defaults.betas.forEach((beta, i) => {
    if (!(beta >= 0 && beta < 1)) throw new Error(`Invalid beta parameter at index ${i}: ${beta}`);
  });
  if (!(defaults.weightDecay >= 0)) throw new Error(`Invalid weight_decay value: ${defaults.weightDecay}`);
  defaults.betas = [defaults.betas[0], defaults.betas[1]];
  return defaults;
}
