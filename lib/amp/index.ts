// torch.amp: mixed precision (autocast scopes and the gradient scaler).
export { autocast, isAutocastEnabled, getAutocastDtype, type AutocastOptions } from './autocast';
export { GradScaler, type GradScalerOptions, type GradScalerStateDict } from './grad-scaler';
