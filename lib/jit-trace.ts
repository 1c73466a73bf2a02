// torch.jit.trace: runs a JS module's forward (or a function) once under libtorch's own tracer
// (torch/csrc/jit/frontend/tracer.h), which records every op the call makes through the
// dispatcher, as it does for Python. The result is a ScriptModule: its forward runs without
// JS, so forwardAsync can run it on a libuv worker thread.
import { native, type Handle } from './native';
import { Tensor } from './tensor';
import { toNative, fromNative } from './ivalue';
import { Module } from './nn/module';
import { Parameter } from './nn/parameter';
import { ScriptModule } from './jit';
import { fail } from './ops/validate';

export interface TraceOptions {
  /**
   * As PyTorch's: true (the default) refuses outputs whose structure the trace cannot keep
   * (a dict, a mutable list); false records them as they are.
   */
  strict?: boolean;
}

interface ModuleTree {
  className: string;
  parameters: [string, Handle][];
  buffers: [string, Handle][];
  children: [string, ModuleTree][];
}

/**
 * Records `target`'s forward (or the function) on `exampleInputs` (one Tensor, or an array of
 * the arguments) as a TorchScript graph, like Python's `torch.jit.trace`.
 *
 * As in PyTorch:
 * - the ScriptModule's parameters and buffers are the module's own tensors, shared, not
 *   copied: an optimizer step or `loadStateDict` on the JS module changes what the traced
 *   one computes. To serve a snapshot while training goes on, trace a second instance
 *   (`serving.loadStateDict(model.stateDict())`, then trace `serving`), or load new weights
 *   with `ScriptModule.loadStateDict` between requests;
 * - JS control flow and values read into JS (`x.shape[0]`, `item()`, a branch on
 *   `this.training`) are fixed at the values they had while tracing; trace in the mode you
 *   will run (`model.eval()` for serving). Tensors made inside forward become constants.
 *   Buffers registered as non-persistent are constants too.
 * A traced function is a ScriptModule whose `forward` is the function (PyTorch returns a
 * ScriptFunction, called directly).
 */
export function trace(target: Module | ((...args: Tensor[]) => unknown), exampleInputs: Tensor | unknown[],
  options: TraceOptions = {}): ScriptModule {
  if (!(target instanceof Module) && typeof target !== 'function') fail('torch.jit.trace', 'an nn.Module or a function', target);
  const inputs = exampleInputs instanceof Tensor ? [exampleInputs] : exampleInputs;
  const forward = target instanceof Module ? target.forward.bind(target) : target;
  const tree = target instanceof Module ? moduleTree(target) : emptyTree(target.name);
  const callback = (...handles: unknown[]) => toNative(forward(...(handles.map((h) => fromNative(h, keep)) as Tensor[])), new Set());
  const module = native.jitTrace(callback, inputs.map((v) => toNative(v, new Set())), options.strict ?? true, tree);
  return new ScriptModule(module);
}

const keep = (t: Tensor) => t;

const emptyTree = (name: string): ModuleTree => ({
  className: /^[A-Za-z_]\w*$/.test(name) ? name : 'Module', parameters: [], buffers: [], children: [],
});

// The module's stateDict (PyTorch's names: `conv1.weight`, `bn.running_mean`) as a tree of
// submodules holding the same tensors, so the trace reads them as the module's attributes.
function moduleTree(root: Module): ModuleTree {
  const top = emptyTree(root.constructor.name);
  for (const [key, tensor] of Object.entries(root.stateDict())) {
    const path = key.split('.');
    const name = path.pop()!;
    let node = top;
    let module: Module | undefined = root;
    for (const part of path) {
      module = module && childNamed(module, part);
      let child = node.children.find(([n]) => n === part)?.[1];
      if (!child) node.children.push([part, (child = emptyTree(module?.constructor.name ?? 'Module'))]);
      node = child;
    }
    (tensor instanceof Parameter ? node.parameters : node.buffers).push([name, tensor._h]);
  }
  return top;
}

// A child by its stateDict name (snake_cased property, or a ModuleDict key as it is).
function childNamed(m: Module, name: string): Module | undefined {
  const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return m.namedChildren().find(([n]) => n === name || snake(n) === name)?.[1];
}
