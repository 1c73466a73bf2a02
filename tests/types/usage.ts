// Compiled by tests/types.test.ts (tsc --noEmit): the declarations a user sees must accept
// PyTorch-shaped code and reject what PyTorch rejects. Never run.
import * as torch from '../../lib/index';

const x: torch.Tensor = torch.ones(2, 3, { dtype: torch.float64, requiresGrad: true });
const y: torch.Tensor = torch.zeros([2, 3]);
const s: torch.Tensor = x.add(y, { alpha: 2 }).mul(3).sum(1, { keepdim: true });
const m: torch.Tensor = x.matmul(y.t());
const [values, indices]: [torch.Tensor, torch.Tensor] = x.max(1);
const inplace: torch.Tensor = y.add_(1);
const parts: torch.Tensor[] = x.split(1);
const n: number = torch.linalg.norm(x).item();
const b: boolean = x.gt(0).all().item<boolean>();
const flag: boolean = torch.allclose(x, x);
const shape: number[] = s.shape;
const sub: torch.Tensor = x.get(':, 1:3');
torch.noGrad(() => x.mul_(2));
const grads: (torch.Tensor | null)[] = torch.autograd.grad(s.sum(), [x]);
const opt = new torch.optim.SGD([x], { lr: 0.1, momentum: 0.9 });
const schedulers = [
  new torch.optim.lrScheduler.StepLR(opt, 30, { gamma: 0.1 }),
  new torch.optim.lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 }), // Python's step_size=30 by keyword
  new torch.optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.1, totalSteps: 100 }),
];

// @ts-expect-error: a string is not a Tensor or a Scalar
x.add('a');
// @ts-expect-error: keepdim is a boolean
x.sum(1, { keepdim: 1 });
// @ts-expect-error: no such method
x.addd(y);
// @ts-expect-error: the keyword form still needs the required argument
new torch.optim.lrScheduler.StepLR(opt, { gamma: 0.1 });

void [values, indices, inplace, parts, n, b, flag, shape, sub, m, grads, schedulers];
