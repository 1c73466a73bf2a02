// The Python with PyTorch that the side-by-side tests, golden fixtures and the benchmark compare
// against. PyTorch in Python needs the full wheel and its dependencies (several GB), so it gets
// a virtual environment of its own, bench/.venv (git-ignored), made by `npm run setup:python`:
//   node scripts/python-venv.mjs [--python=python3] [pip install options, e.g. --index-url=URL]
// It installs the pinned torch (scripts/libtorch-version.mjs), numpy and tensorboard.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LIBTORCH_VERSION } from './libtorch-version.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const VENV = path.join(root, 'bench', '.venv');

/**
 * Pythons to try, in order: TORCH_NODE_PYTHON, bench/.venv, /work/pyvenv (the shared one on
 * this project's machines), python3. Callers keep the first that can import what they need.
 */
export function pythonCandidates(env = process.env) {
  const venvPython = path.join(VENV, 'bin', 'python');
  return [env.TORCH_NODE_PYTHON, venvPython, '/work/pyvenv/bin/python', 'python3']
    .filter((p) => p && (p === 'python3' || p === env.TORCH_NODE_PYTHON || fs.existsSync(p)));
}

/**
 * The first candidate that imports `module` (a cold `import torch` can take tens of seconds),
 * or why there is none: a Python that cannot import it is no Python for a comparison.
 * @returns {{ python: string, reason: '' } | { python: undefined, reason: string }}
 */
export function findPython(module = 'torch', env = process.env) {
  const candidates = pythonCandidates(env);
  for (const python of candidates) {
    if (spawnSync(python, ['-c', `import ${module}`], { timeout: 120_000 }).status === 0) return { python, reason: '' };
  }
  return { python: undefined, reason: `no Python that imports ${module} (tried ${candidates.join(', ')}; run npm run setup:python or set TORCH_NODE_PYTHON)` };
}

function main(args) {
  if (args.includes('--help') || args.includes('-h')) {
    console.log('node scripts/python-venv.mjs [--python=python3] [pip install options]: makes bench/.venv with torch, numpy, tensorboard');
    return;
  }
  const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const base = option('python') ?? 'python3';
  const pipOptions = args.filter((a) => !a.startsWith('--python='));
  const run = (cmd, argv) => {
    console.log(`[setup:python] ${cmd} ${argv.join(' ')}`);
    const r = spawnSync(cmd, argv, { stdio: 'inherit' });
    if (r.status !== 0) {
      console.error(`[setup:python] failed (${r.error?.message ?? `exit ${r.status}`}). It needs ${base} with its venv module ` +
        '(Debian: apt install python3-venv) and PyPI, or a mirror given as --index-url=URL.');
      process.exit(1);
    }
  };
  if (!fs.existsSync(path.join(VENV, 'bin', 'python'))) run(base, ['-m', 'venv', VENV]);
  run(path.join(VENV, 'bin', 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check',
    `torch==${LIBTORCH_VERSION}`, 'numpy', 'tensorboard', ...pipOptions]);
  console.log(`[setup:python] ready: ${path.relative(process.cwd(), path.join(VENV, 'bin', 'python'))} (tests and bench find it there)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main(process.argv.slice(2));
