// Per-op overhead: runs bench/cpp/build/perop, bench/perop.py and bench/perop.mjs (each a
// whole process that prints one JSON line), alternating between them for several rounds,
// and reports each workload's median over the rounds.
import { spawnSync } from 'node:child_process';
import { median } from './workloads-phase.mjs';

/** The last JSON line on stdout with an "impl" key, or null. */
export function parseResult(stdout) {
  for (const line of stdout.trim().split('\n').reverse()) {
    try { const j = JSON.parse(line); if (j && j.impl) return j; } catch { /* not JSON */ }
  }
  return null;
}

const tail = (s, n = 1500) => (s.length > n ? '…' + s.slice(-n) : s).trim();

/** programs: { impl: [cmd, argv] }. Returns { impl: { results: {w: wall ns}, cpu: {w: CPU ns}, runs, ...info } | { error } }. */
export function runPerop(programs, { rounds, scale, cwd, env, log }) {
  const runs = {};
  const errors = {};
  for (let r = 0; r < rounds; r++) {
    const order = Object.keys(programs);
    for (const impl of order.map((_, i) => order[(i + r) % order.length])) {
      if (errors[impl]) continue;
      const [cmd, argv] = programs[impl];
      const p = spawnSync(cmd, [...argv, String(scale)], { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
      const j = p.status === 0 ? parseResult(p.stdout ?? '') : null;
      if (j) (runs[impl] ??= []).push(j);
      else {
        errors[impl] = `${impl} per-op program failed:\n` + tail((p.stdout ?? '') + (p.stderr ?? '') + (p.error ? String(p.error) : ''));
        log(errors[impl]);
      }
    }
    log(`per-op round ${r + 1}/${rounds} done`);
  }
  const out = {};
  for (const impl of Object.keys(programs)) {
    if (errors[impl]) { out[impl] = { error: errors[impl] }; continue; }
    const rs = runs[impl];
    const results = {};
    const cpu = {};
    for (const w of Object.keys(rs[0].results)) {
      results[w] = median(rs.map((x) => x.results[w]));
      if (rs.every((x) => x.cpu?.[w] != null)) cpu[w] = median(rs.map((x) => x.cpu[w]));
    }
    out[impl] = { ...rs[0], results, cpu, runs: rs.map((x) => x.results) };
  }
  return out;
}
