// Prebuilt addon or source build? The install step's one decision, kept pure so tests can
// walk every branch. The addon finds libtorch through a `libtorch` link in its own folder
// (its RUNPATH is $ORIGIN/libtorch), so a prebuild runs against any libtorch of the version
// it was built for; another version needs a source build (libtorch has no stable C++ ABI).
import fs from 'node:fs';
import path from 'node:path';

/** The prebuilt addon for this platform, as prebuildify names it, or null. */
export function findPrebuild(root, platform = process.platform, arch = process.arch) {
  const dir = path.join(root, 'prebuilds', `${platform}-${arch}`);
  let names = [];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.node'));
  } catch {}
  return names.length ? path.join(dir, names.sort()[0]) : null;
}

/** Which of the tools a source build needs are missing from PATH (cmake, a C++ compiler). */
export function missingBuildTools(env = process.env) {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const onPath = (name) => dirs.some((d) => {
    try {
      fs.accessSync(path.join(d, name), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  const missing = [];
  if (!onPath('cmake')) missing.push('cmake');
  const compilers = [env.CXX, 'c++', 'g++', 'clang++'].filter(Boolean);
  if (!compilers.some((c) => (path.isAbsolute(c) ? fs.existsSync(c) : onPath(c)))) missing.push('a C++17 compiler (c++, g++ or clang++)');
  return missing;
}

/**
 * @param {{ found: {root: string, version: string|null}, pinned: string, prebuild: string|null,
 *           fromSource: boolean, missingTools: string[] }} input
 * @returns {{ use: 'prebuild' | 'source', why: string } | { error: string }}
 */
export function chooseBuild({ found, pinned, prebuild, fromSource, missingTools }) {
  const matches = found.version === pinned;
  if (prebuild && matches && !fromSource) return { use: 'prebuild', why: `prebuilt for libtorch ${pinned}` };
  const why = fromSource ? 'a source build was asked for'
    : !prebuild ? 'no prebuilt addon for this platform'
      : `the prebuilt addon is for libtorch ${pinned}, but the libtorch found is ${found.version ?? 'of unknown version'} (${found.root})`;
  if (missingTools.length === 0) return { use: 'source', why };
  return {
    error: `torch-node: cannot build the addon: ${why}, and a source build needs ${missingTools.join(' and ')}, ` +
      `which ${missingTools.length > 1 ? 'are' : 'is'} not on PATH. Install ${missingTools.length > 1 ? 'them' : 'it'}, ` +
      (prebuild ? `or point LIBTORCH at a libtorch ${pinned} folder to use the prebuilt addon.` : 'then run npm install again.'),
  };
}

/** Points `<addon folder>/libtorch` at the found libtorch's lib folder (replacing an old link). */
export function linkLibtorch(addonDir, libtorchRoot) {
  const link = path.join(addonDir, 'libtorch');
  fs.mkdirSync(addonDir, { recursive: true });
  fs.rmSync(link, { force: true, recursive: false });
  fs.symlinkSync(path.join(libtorchRoot, 'lib'), link, 'dir');
  return link;
}
