// Collectives: c10d's allreduce, broadcast, allgather and barrier on a process group, in
// place and blocking (each returns once its result is in the tensors, or throws: a rank gone,
// or the group's timeout passed).
import { native } from '../native';
import { Tensor } from '../tensor';
import { resolveGroup, type ProcessGroup } from './process-group';

/** Reduction operations, as PyTorch's torch.distributed.ReduceOp. */
export const ReduceOp = {
  SUM: 'sum', AVG: 'avg', PRODUCT: 'product', MIN: 'min', MAX: 'max', BAND: 'band', BOR: 'bor', BXOR: 'bxor',
} as const;
export type ReduceOp = (typeof ReduceOp)[keyof typeof ReduceOp];

// c10d::ReduceOp::RedOpType's codes.
const OP_CODES: Record<ReduceOp, number> = { sum: 0, avg: 1, product: 2, min: 3, max: 4, band: 5, bor: 6, bxor: 7 };

export interface CollectiveOptions {
  /** The group to run in (default: the default group). */
  group?: ProcessGroup;
}

export interface AllReduceOptions extends CollectiveOptions {
  op?: ReduceOp;
}

function checkTensor(value: unknown, what: string): Tensor {
  if (!(value instanceof Tensor)) throw new Error(`expected a Tensor for ${what}, got ${typeof value}`);
  return value;
}

/** Reduces `tensor` across the group, in place: every rank ends with the result (default SUM). */
export function allReduce(tensor: Tensor, op: ReduceOp | AllReduceOptions = {}, options: CollectiveOptions = {}): void {
  const opts = typeof op === 'string' ? { ...options, op } : op;
  const code = OP_CODES[opts.op ?? 'sum'];
  if (code === undefined) throw new Error(`expected a torch.distributed.ReduceOp for op, got ${String(opts.op)}`);
  const group = resolveGroup(opts.group, 'allReduce');
  native.distAllReduce(group._g, [checkTensor(tensor, 'allReduce\'s tensor')._h], code);
}

/** Copies rank `src`'s `tensor` into every rank's `tensor` (same shape and dtype everywhere). */
export function broadcast(tensor: Tensor, src: number, options: CollectiveOptions = {}): void {
  const group = resolveGroup(options.group, 'broadcast');
  if (!(Number.isInteger(src) && src >= 0 && src < group.size())) {
    throw new Error(`expected a source rank in [0, ${group.size() - 1}] for broadcast, got ${src}`);
  }
  native.distBroadcast(group._g, [checkTensor(tensor, 'broadcast\'s tensor')._h], src);
}

/** Fills `tensorList[r]` with rank r's `tensor`, on every rank. */
export function allGather(tensorList: Tensor[], tensor: Tensor, options: CollectiveOptions = {}): void {
  const group = resolveGroup(options.group, 'allGather');
  if (!Array.isArray(tensorList) || tensorList.length !== group.size()) {
    throw new Error(`expected a list of ${group.size()} tensors (the world size) for allGather's tensorList, got ${
      Array.isArray(tensorList) ? tensorList.length : typeof tensorList}`);
  }
  native.distAllGather(group._g, tensorList.map((t, i) => checkTensor(t, `allGather's tensorList[${i}]`)._h),
    checkTensor(tensor, 'allGather\'s tensor')._h);
}

/** Returns once every rank of the group has called barrier. */
export function barrier(options: CollectiveOptions = {}): void {
  native.distBarrier(resolveGroup(options.group, 'barrier')._g);
}
