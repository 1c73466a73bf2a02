// The Python with PyTorch that the side-by-side tests compare against (scripts/python-venv.mjs
// lists where to look; `npm run setup:python` makes one), found once per test file by running
// it: a Python that exists but cannot import the module is no Python for these tests, and they
// skip saying so.
import { findPython as find } from '../scripts/python-venv.mjs';

export type FoundPython = { python: string; reason: '' } | { python: undefined; reason: string };

/** The first Python that imports `module` (scripts/python-venv.mjs), or why there is none. */
export function findPython(module = 'torch'): FoundPython {
  return find(module) as FoundPython;
}
