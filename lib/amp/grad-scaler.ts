// torch.amp.GradScaler: scales the loss so that float16 gradients do not underflow, unscales
// them before the optimizer step, skips steps whose gradients hold inf/NaN and adapts the
// scale, as Python's torch/amp/grad_scaler.py does, with the same two libtorch ops
// (_amp_foreach_non_finite_check_and_unscale_, _amp_update_scale_) and the same messages.
import { Tensor } from '../tensor';
import { float32, float64, float16, int32 } from '../dtype';
import { full } from '../generated/functions';
import { ops } from '../ops/aten';
import { isAvailable as cudaIsAvailable } from '../cuda';
import type { Optimizer } from '../optim/optimizer';

export interface GradScalerOptions {
  initScale?: number;
  growthFactor?: number;
  backoffFactor?: number;
  growthInterval?: number;
  enabled?: boolean;
}

export interface GradScalerStateDict {
  scale: number;
  growth_factor: number;
  backoff_factor: number;
  growth_interval: number;
  _growth_tracker: number;
}

type Stage = 'ready' | 'unscaled' | 'stepped';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOptimizer = Optimizer<any>;
type Scaled<T> = T extends Tensor ? Tensor : T;

const FIX = 'This may indicate your script did not use scaler.scale(loss or outputs) earlier in the iteration.';

export class GradScaler {
  private enabled: boolean;
  private initScale: number;
  private growthFactor: number;
  private backoffFactor: number;
  private growthInterval: number;
  private scaleTensor: Tensor | null = null;
  private growthTracker: Tensor | null = null;
  private initGrowthTracker = 0;
  private states = new Map<AnyOptimizer, { stage: Stage; foundInf: Map<string, Tensor> }>();

  constructor(readonly device = 'cuda', options: GradScalerOptions = {}) {
    this.enabled = options.enabled ?? true;
    if (this.enabled && device === 'cuda' && !cudaIsAvailable()) {
      console.warn('torch.amp.GradScaler is enabled, but CUDA is not available. Disabling.');
      this.enabled = false;
    }
    this.initScale = options.initScale ?? 2 ** 16;
    this.growthFactor = options.growthFactor ?? 2;
    this.backoffFactor = options.backoffFactor ?? 0.5;
    this.growthInterval = options.growthInterval ?? 2000;
    if (!(this.growthFactor > 1)) throw new Error('The growth factor must be > 1.0.');
    if (!(this.backoffFactor < 1)) throw new Error('The backoff factor must be < 1.0.');
  }

  isEnabled(): boolean {
    return this.enabled;
  }

  /** outputs times the scale (a tensor, or arrays of them); unchanged when disabled. */
  scale<T extends Tensor | Tensor[]>(outputs: T): T {
    if (!this.enabled) return outputs;
    const one = (t: Tensor): Tensor => {
      if (!(t instanceof Tensor)) throw new TypeError('outputs must be a Tensor or an iterable of Tensors');
      if (!this.scaleTensor) this.lazyInit(t.device.toString());
      return t.mul(this.scaleTensor!.to(t.device));
    };
    return (Array.isArray(outputs) ? outputs.map(one) : one(outputs as Tensor)) as Scaled<T> as T;
  }

  /** Divides the optimizer's gradients by the scale (before clipping them, for instance). */
  unscale_(optimizer: AnyOptimizer): void {
    if (!this.enabled) return;
    this.check('unscale_');
    const state = this.state(optimizer);
    if (state.stage === 'unscaled') throw new Error('unscale_() has already been called on this optimizer since the last update().');
    if (state.stage === 'stepped') throw new Error('unscale_() is being called after step().');
    const invScale = this.scaleTensor!.to(float64).reciprocal().to(float32);
    state.foundInf = this.unscaleGrads(optimizer, invScale);
    state.stage = 'unscaled';
  }

  /** Unscales (unless done already) and steps the optimizer, unless a gradient is inf/NaN. */
  step(optimizer: AnyOptimizer, ...args: unknown[]): unknown {
    if (!this.enabled) return (optimizer.step as (...a: unknown[]) => unknown)(...args);
    this.check('step');
    const state = this.state(optimizer);
    if (state.stage === 'stepped') throw new Error('step() has already been called since the last update().');
    if (state.stage === 'ready') this.unscale_(optimizer);
    if (state.foundInf.size === 0) throw new Error('No inf checks were recorded for this optimizer.');
    let result: unknown;
    const infs = [...state.foundInf.values()].reduce((sum, t) => sum + (t.item() as number), 0);
    if (!infs) result = (optimizer.step as (...a: unknown[]) => unknown)(...args);
    state.stage = 'stepped';
    return result;
  }

  /** Grows the scale after growthInterval clean steps, backs off after a skipped one. */
  update(newScale?: number | Tensor): void {
    if (!this.enabled) return;
    this.check('update');
    if (newScale !== undefined) {
      if (newScale instanceof Tensor) this.scaleTensor!.copy_(newScale);
      else this.scaleTensor!.fill_(newScale);
    } else {
      const found = [...this.states.values()].flatMap((s) => [...s.foundInf.values()]).map((t) => t.to(this.scaleTensor!.device));
      if (found.length === 0) throw new Error('No inf checks were recorded prior to update.');
      const combined = found.slice(1).reduce((sum, t) => sum.add(t), found[0]);
      ops.aten._amp_update_scale_(this.scaleTensor, this.growthTracker, combined, this.growthFactor, this.backoffFactor, this.growthInterval);
    }
    this.states.clear();
  }

  getScale(): number {
    if (!this.enabled) return 1;
    return this.scaleTensor ? (this.scaleTensor.item() as number) : this.initScale;
  }

  getGrowthFactor(): number { return this.growthFactor; }
  setGrowthFactor(value: number): void { this.growthFactor = value; }
  getBackoffFactor(): number { return this.backoffFactor; }
  setBackoffFactor(value: number): void { this.backoffFactor = value; }
  getGrowthInterval(): number { return this.growthInterval; }
  setGrowthInterval(value: number): void { this.growthInterval = value; }

  /** Python's keys, so a checkpoint moves between the two. Empty when disabled. */
  stateDict(): GradScalerStateDict | Record<string, never> {
    if (!this.enabled) return {};
    return {
      scale: this.getScale(), growth_factor: this.growthFactor, backoff_factor: this.backoffFactor, growth_interval: this.growthInterval,
      _growth_tracker: this.growthTracker ? (this.growthTracker.item() as number) : this.initGrowthTracker,
    };
  }

  loadStateDict(state: GradScalerStateDict | Record<string, never>): void {
    if (!this.enabled) return;
    if (Object.keys(state).length === 0) {
      throw new Error('The source state dict is empty, possibly because it was saved from a disabled instance of GradScaler.');
    }
    const s = state as GradScalerStateDict;
    this.initScale = s.scale;
    this.growthFactor = s.growth_factor;
    this.backoffFactor = s.backoff_factor;
    this.growthInterval = s.growth_interval;
    this.initGrowthTracker = s._growth_tracker;
    this.scaleTensor?.fill_(s.scale);
    this.growthTracker?.fill_(s._growth_tracker);
  }

  private lazyInit(device: string): void {
    this.scaleTensor = full([], this.initScale, { dtype: float32, device });
    this.growthTracker = full([], this.initGrowthTracker, { dtype: int32, device });
  }

  private check(fn: string): void {
    if (!this.scaleTensor) throw new Error(`Attempted ${fn} but _scale is None.  ${FIX}`);
  }

  private state(optimizer: AnyOptimizer) {
    let s = this.states.get(optimizer);
    if (!s) this.states.set(optimizer, (s = { stage: 'ready', foundInf: new Map() }));
    return s;
  }

  // Per device and dtype, one fused libtorch call checks for inf/NaN and multiplies by invScale.
  private unscaleGrads(optimizer: AnyOptimizer, invScale: Tensor): Map<string, Tensor> {
    const groups = new Map<string, Tensor[]>();
    for (const group of optimizer.paramGroups) {
      for (const p of group.params) {
        const grad = p.grad;
        if (!grad) continue;
        if (grad.dtype === float16) throw new Error('Attempting to unscale FP16 gradients.');
        const key = `${grad.device}|${grad.dtype}`;
        groups.set(key, [...(groups.get(key) ?? []), grad]);
      }
    }
    const foundInf = new Map<string, Tensor>();
    for (const [key, grads] of groups) {
      const device = key.split('|')[0];
      if (!foundInf.has(device)) foundInf.set(device, full([], 0, { dtype: float32, device }));
      ops.aten._amp_foreach_non_finite_check_and_unscale_(grads, foundInf.get(device), invScale.to(device));
    }
    return foundInf;
  }
}
