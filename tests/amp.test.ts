// torch.autocast and torch.amp.GradScaler on CPU, against PyTorch 2.11's results for the same
// programs (values from PyTorch, inline; the CUDA variants run on a GPU machine only).
import { describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

describe('torch.autocast', () => {
  it('runs matmul in bfloat16 on CPU inside the scope, and restores the state after', () => {
    torch.manualSeed(0);
    const a = torch.randn(4, 3);
    const b = torch.randn(3, 5);
    const mm = torch.autocast('cpu', () => {
      expect(torch.isAutocastEnabled('cpu')).toBe(true);
      expect(torch.getAutocastDtype('cpu')).toBe(torch.bfloat16);
      return a.matmul(b);
    });
    expect(mm.dtype).toBe(torch.bfloat16);
    // PyTorch: (a @ b) under autocast('cpu'), row 0.
    expect(mm.float().get('0').tolist()).toEqual([-3.46875, 0.27734375, -1.625, -2.671875, 1.5]);
    expect(torch.isAutocastEnabled('cpu')).toBe(false);
    expect(a.matmul(b).dtype).toBe(torch.float32);
  });

  it('takes a dtype, nests, and enabled: false turns it off inside (with `using` too)', () => {
    const a = torch.randn(2, 2);
    torch.autocast('cpu', { dtype: torch.float16 }, () => {
      expect(a.matmul(a).dtype).toBe(torch.float16);
      {
        using _ = torch.autocast('cpu', { enabled: false });
        expect(a.matmul(a).dtype).toBe(torch.float32);
      }
      expect(a.matmul(a).dtype).toBe(torch.float16);
    });
    expect(torch.getAutocastDtype('cpu')).toBe(torch.bfloat16);
  });

  it('restores the state when the function throws, and checks its arguments', () => {
    expect(() => torch.autocast('cpu', () => {
      throw new Error('inside');
    })).toThrow('inside');
    expect(torch.isAutocastEnabled('cpu')).toBe(false);
    expect(() => torch.autocast('cpu', { dtype: 'bf16' as never })).toThrow(/autocast\(dtype\).*a torch dtype/);
    expect(() => torch.autocast('tpu')).toThrow(/tpu/);
  });
});

describe('torch.amp.GradScaler', () => {
  it('scales, skips the step with an inf gradient, backs off and grows as PyTorch does', () => {
    torch.manualSeed(1);
    const m = new torch.nn.Linear(3, 1);
    const opt = new torch.optim.SGD(m.parameters(), { lr: 0.1 });
    const scaler = new torch.amp.GradScaler('cpu', { initScale: 1024, growthInterval: 2 });
    const x = torch.randn(8, 3);
    const y = torch.randn(8, 1);
    const scales: number[] = [];
    const weights: number[][] = [];
    for (let i = 0; i < 4; i++) {
      opt.zeroGrad();
      const loss = torch.nn.functional.mseLoss(m.forward(x), y);
      scaler.scale(loss).backward();
      if (i === 1) m.weight.grad!.set('0, 0', Infinity);
      scaler.step(opt);
      scaler.update();
      scales.push(scaler.getScale());
      weights.push(m.weight.detach().flatten().tolist() as number[]);
    }
    // PyTorch 2.11, the same program:
    expect(scales).toEqual([1024, 512, 512, 1024]);
    const expected = [
      [0.2769559323787689, -0.13316024839878082, -0.03911552205681801],
      [0.2769559323787689, -0.13316024839878082, -0.03911552205681801],
      [0.26820823550224304, -0.044105853885412216, 0.026008615270256996],
      [0.2656519114971161, 0.021051017567515373, 0.08441469073295593],
    ];
    weights.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 6)));
    expect(scaler.stateDict()).toEqual({ scale: 1024, growth_factor: 2, backoff_factor: 0.5, growth_interval: 2, _growth_tracker: 0 });
  });

  it('gives PyTorch\'s errors for steps out of order', () => {
    const m = new torch.nn.Linear(2, 1);
    const opt = new torch.optim.SGD(m.parameters(), { lr: 0.1 });
    const scaler = new torch.amp.GradScaler('cpu');
    expect(() => scaler.step(opt)).toThrow('Attempted step but _scale is None.');
    scaler.scale(m.forward(torch.ones(1, 2)).sum()).backward();
    scaler.unscale_(opt);
    expect(() => scaler.unscale_(opt)).toThrow('unscale_() has already been called on this optimizer since the last update().');
    scaler.step(opt);
    expect(() => scaler.step(opt)).toThrow('step() has already been called since the last update().');
    scaler.update();
    const disabled = new torch.amp.GradScaler('cpu', { enabled: false });
    expect(disabled.getScale()).toBe(1);
    expect(() => scaler.loadStateDict(disabled.stateDict())).toThrow(/saved from a disabled instance/);
  });
});
