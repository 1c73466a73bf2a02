// torch.ops.aten: every registered operator the binding can call, by its schema name, as in
// Python: torch.ops.aten.add(x, y) resolves among add's overloads, torch.ops.aten.add.Tensor
// calls that overload, torch.ops.aten.relu.default the unnamed one. Names stay snake_case.
import { makeOp } from './overload';
import { overloads, aten as table } from '../generated/ops';

type OpFunction = ((...args: unknown[]) => unknown) & Record<string, (...args: unknown[]) => unknown>;
const cache = new Map<string, OpFunction>();

/** The callable for aten::<name>, with one property per overload; undefined if there is none. */
export function atenOp(name: string): OpFunction | undefined {
  let fn = cache.get(name);
  if (fn) return fn;
  const indices = table[name];
  if (!indices) return undefined;
  fn = makeOp(`torch.ops.aten.${name}`, overloads, indices, false) as OpFunction;
  for (const i of indices) {
    const overload = overloads[i][1] || 'default';
    fn[overload] = makeOp(`torch.ops.aten.${name}.${overload}`, overloads, [i], false) as OpFunction;
  }
  cache.set(name, fn);
  return fn;
}

const aten = new Proxy({} as Record<string, OpFunction>, {
  get(_, name) {
    if (typeof name !== 'string') return undefined;
    const fn = atenOp(name);
    if (!fn) throw new Error(`torch.ops.aten.${name}: no such operator (or its argument types are not supported)`);
    return fn;
  },
  has: (_, name) => typeof name === 'string' && name in table,
  ownKeys: () => Object.keys(table),
  getOwnPropertyDescriptor: (_, name) =>
    typeof name === 'string' && name in table ? { enumerable: true, configurable: true } : undefined,
});

export const ops = { aten };
