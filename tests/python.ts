// The Python with PyTorch that the side-by-side tests compare against (TORCH_NODE_PYTHON, the
// project's /work/pyvenv, or python3), found once per test file by running it: a Python that
// exists but cannot import the module is no Python for these tests, and they skip saying so.
import { spawnSync } from 'node:child_process';

export type FoundPython = { python: string; reason: '' } | { python: undefined; reason: string };

/** The first candidate that imports `module` (a cold `import torch` can take tens of seconds). */
export function findPython(module = 'torch'): FoundPython {
  const candidates = [process.env.TORCH_NODE_PYTHON, '/work/pyvenv/bin/python', 'python3'].filter((p): p is string => !!p);
  for (const python of candidates) {
    if (spawnSync(python, ['-c', `import ${module}`], { timeout: 120_000 }).status === 0) return { python, reason: '' };
  }
  return { python: undefined, reason: `no Python that imports ${module} (tried ${candidates.join(', ')}; set TORCH_NODE_PYTHON)` };
}
