// The collector the addon runs (native/handle.cc, native/ops.cc):
// - GC pacing. Results left to the garbage collector are freed by the first minor GC
//   (scavenge) that finds them dead. V8 sizes its young generation for JS objects, and a
//   Tensor is a small JS object over ~600 bytes of native memory, so on its own V8 let
//   ~250,000 results (150 MB) go cache-cold before freeing them all in one burst. The addon
//   instead runs a minor GC every few thousand new tensors, spacing them out while tensors
//   survive.
// - GPU memory pressure. When the CUDA allocator runs out, the addon runs a full GC (freeing
//   the tensors nothing reaches) and retries the op once.
// This file hands the addon the function that runs them.
import v8 from 'node:v8';
import vm from 'node:vm';
import { native } from './native';

type GcFunction = (options: { type: 'minor' | 'major' }) => void;

/**
 * New tensors between two minor GCs while tensors die young: 2,048 results x ~600 native
 * bytes stay within a core's L2 cache, and a minor GC (~60 us) costs ~30 ns per tensor.
 */
export const DEFAULT_GC_PACING = 2048;

/** V8's `gc`, from --expose-gc when the process has it, else from a context of its own. */
export function exposedGc(): GcFunction | null {
  const global = (globalThis as { gc?: unknown }).gc;
  if (typeof global === 'function') return global as GcFunction;
  // A context made while --expose-gc is on gets a `gc`; the flag goes back off at once, so
  // the program's own contexts never see one. Node leaves V8's flags writable unless told
  // --freeze-flags-after-init, and writing a frozen flag would abort the process.
  const options = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  if (/(^|\s)--freeze[-_]flags[-_]after[-_]init\b/.test(options)) return null;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    return typeof gc === 'function' ? (gc as GcFunction) : null;
  } catch {
    return null;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}

/**
 * Applies a TORCH_NODE_GC_PACING setting: '0' turns pacing off (the out-of-memory retry
 * stays), a positive integer sets the interval, anything else (unset) means the default.
 * Returns the interval, 0 when off.
 */
export function configureGcPacing(setting: string | undefined): number {
  const gc = exposedGc();
  if (!gc) {
    native.setCollector(null, 0);
    return 0;
  }
  const asked = Number(setting);
  const interval = setting === '0' ? 0 : setting && Number.isSafeInteger(asked) && asked > 0 ? asked : DEFAULT_GC_PACING;
  const minor = { type: 'minor' as const };
  const major = { type: 'major' as const };
  native.setCollector((full: boolean) => gc(full ? major : minor), interval);
  return interval;
}

configureGcPacing(process.env.TORCH_NODE_GC_PACING);
