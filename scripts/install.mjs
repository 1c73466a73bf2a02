// `npm install` step: find libtorch (scripts/find-libtorch.mjs), then either use the prebuilt
// addon (prebuilds/, when it was built for the found libtorch's version) or build the addon
// with cmake-js against it (scripts/build-choice.mjs decides). Prints one line saying which
// libtorch and which addon are used, or one message saying what is missing.
// `--force` rebuilds from a clean build folder; `--build-from-source` (or npm's
// --build-from-source, or a git checkout) skips the prebuild.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { findLibtorch, LIBTORCH_VERSION, defaultCacheDir } from './find-libtorch.mjs';
import { chooseBuild, findPrebuild, linkLibtorch, missingBuildTools } from './build-choice.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const NO_LIBTORCH = `torch-node: no libtorch ${LIBTORCH_VERSION} found. Get one in any of three ways:
  1. point LIBTORCH at a libtorch folder (with include/ and lib/): LIBTORCH=/path/to/libtorch npm install
  2. install PyTorch for Python (pip install torch==${LIBTORCH_VERSION}); torch-node finds it without importing it
  3. allow the download of the official archive (unset TORCH_NODE_NO_DOWNLOAD; TORCH_NODE_LIBTORCH_URL picks a mirror)
  (the pip fallback into ~/.cache/torch-node/python failed too, or TORCH_NODE_NO_PIP is set)`;

// The last resort where only PyPI is reachable: the pinned torch wheel without its
// dependencies (only its libtorch is used), plus the two small CUDA runtime wheels its
// libtorch_cpu.so links (CUPTI, cudart), into the cache, where findLibtorch looks.
const WHEELS = [`torch==${LIBTORCH_VERSION}`, 'nvidia-cuda-cupti==13.0.85', 'nvidia-cuda-runtime==13.0.96'];

function pipInstall() {
  if (process.env.TORCH_NODE_NO_PIP) return false;
  const target = path.join(defaultCacheDir(), 'python');
  console.log(`torch-node: installing the torch ${LIBTORCH_VERSION} wheel (libtorch only, ~530 MB) into ${target}`);
  for (const python of [process.env.PYTHON, 'python3', 'python'].filter(Boolean)) {
    const r = spawnSync(python, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', '--no-deps',
      '--upgrade', '--target', target, ...WHEELS], { stdio: 'inherit' });
    if (r.status === 0) return true;
  }
  return false;
}

async function main() {
  const force = process.argv.includes('--force');
  let found;
  try {
    found = await findLibtorch({ stderr: process.stderr });
  } catch (first) {
    try {
      if (!pipInstall()) throw first;
      found = await findLibtorch({ stderr: process.stderr, download: false });
    } catch (e) {
      console.error(NO_LIBTORCH + '\n  (' + (e instanceof Error ? e.message : String(e)) + ')');
      process.exit(1);
    }
  }
  const label = `torch-node: libtorch ${found.versionFull ?? found.version ?? '?'} from ${found.source} (${found.root})`;

  const prebuild = findPrebuild(root);
  // A git checkout is where native/ gets edited: it always builds from source.
  const fromSource = force || process.argv.includes('--build-from-source') || truthy(process.env.npm_config_build_from_source) ||
    fs.existsSync(path.join(root, '.git'));
  let choice = chooseBuild({ found, pinned: LIBTORCH_VERSION, prebuild, fromSource, missingTools: missingBuildTools() });
  if (choice.use === 'prebuild') {
    linkLibtorch(path.dirname(prebuild), found.root);
    const error = loadError(prebuild);
    if (!error) return console.log(`${label}, prebuilt addon`);
    console.error(`torch-node: the prebuilt addon does not load: ${error}`);
    choice = chooseBuild({ found, pinned: LIBTORCH_VERSION, prebuild: null, fromSource: false, missingTools: missingBuildTools() });
  }
  if (choice.error) {
    console.error(`${label}\n${choice.error}`);
    process.exit(1);
  }
  console.log(`${label}, building the addon (${choice.why})`);

  const buildDir = path.join(root, 'build');
  if (force) fs.rmSync(buildDir, { recursive: true, force: true });
  const cmakeJs = path.join(path.dirname(require.resolve('cmake-js/package.json')), 'bin', 'cmake-js');
  const r = spawnSync(process.execPath, [cmakeJs, 'compile', `--CDLIBTORCH=${found.root}`], {
    cwd: root, stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error('torch-node: building the addon failed (see the compiler output above)');
    process.exit(r.status ?? 1);
  }
  linkLibtorch(path.join(buildDir, 'Release'), found.root);
  fs.writeFileSync(path.join(buildDir, 'libtorch.json'), JSON.stringify(found, null, 2) + '\n');
}

function truthy(v) {
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
}

// Loading in a child process keeps a failing dlopen (a missing libtorch dependency) out of
// the install process and gives its message.
function loadError(addon) {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(addon)})`], { encoding: 'utf8' });
  if (r.status === 0) return null;
  const line = (r.stderr || '').split('\n').find((l) => /Error/.test(l));
  return (line ?? `exit code ${r.status}`).trim();
}

main();
