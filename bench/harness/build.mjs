// Builds what the benchmark runs: the C++ programs in bench/cpp/build (CMake, Ninja and ccache
// when present; rebuilt only when a source changed) and the TypeScript (dist/cjs + dist/esm,
// as `npm run build:ts` does).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const tail = (s, n = 1500) => (s.length > n ? '…' + s.slice(-n) : s).trim();

function sh(cmd, argv, opts) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  return { ok: r.status === 0 && !r.error, out: (r.stdout ?? '') + (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

/** Returns null when built, else an error message. */
export function buildCpp({ benchDir, libtorch, log }) {
  const src = path.join(benchDir, 'cpp');
  const build = path.join(src, 'build');
  let cached = null;
  try { cached = /^LIBTORCH:PATH=(.*)$/m.exec(fs.readFileSync(path.join(build, 'CMakeCache.txt'), 'utf8'))?.[1]; } catch { /* no cache */ }
  const generated = ['build.ninja', 'Makefile'].some((f) => fs.existsSync(path.join(build, f)));
  if (!generated || cached !== libtorch) {
    log(`configuring bench/cpp (LIBTORCH=${libtorch})`);
    const gen = sh('ninja', ['--version']).ok ? ['-G', 'Ninja'] : [];
    const r = sh('cmake', ['-S', src, '-B', build, ...gen, `-DLIBTORCH=${libtorch}`, '-DCMAKE_BUILD_TYPE=Release']);
    if (!r.ok) return 'cmake configure failed:\n' + tail(r.out);
  }
  log('building bench/cpp (perop, workloads; the first workloads build compiles the C++ frontend headers, ~1 min)');
  const r = sh('cmake', ['--build', build, '--parallel', '1']);
  return r.ok ? null : 'cmake build failed:\n' + tail(r.out);
}

/** Compiles lib/ into dist/ (tsc, then the ESM entry). Returns null or an error message. */
export function buildTs({ root, log }) {
  log('compiling TypeScript (tsc -p tsconfig.json -> dist/cjs, scripts/esm-entry.mjs -> dist/esm)');
  const localTsc = path.join(root, 'node_modules', '.bin', 'tsc');
  const r = fs.existsSync(localTsc) ? sh(localTsc, ['-p', 'tsconfig.json'], { cwd: root }) : sh('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root });
  if (!r.ok) {
    // tsc still emits on type errors: carry on when there is an entry point, but say so.
    if (!fs.existsSync(path.join(root, 'dist', 'cjs', 'index.js'))) return 'tsc failed:\n' + tail(r.out);
    log('tsc reported errors (continuing with the emitted dist/cjs):\n' + tail(r.out, 800));
  }
  const esm = path.join(root, 'scripts', 'esm-entry.mjs');
  if (fs.existsSync(esm)) {
    const e = sh(process.execPath, [esm], { cwd: root });
    if (!e.ok) log('scripts/esm-entry.mjs failed (start-up via import may fail):\n' + tail(e.out, 800));
  }
  return null;
}
