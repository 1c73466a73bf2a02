// Start-up: wall time from spawning a process to its first op's result on stdout, for
// `node -e` importing torch-node, `python -c "import torch"` and the C++ binary. The runs
// alternate between the three (A B C A B C ...) and the median is reported.
import { spawn } from 'node:child_process';
import { median } from './workloads-phase.mjs';

/** Resolves with ms from spawn to the first stdout byte; rejects if the process fails. */
function timeToFirstOutput(cmd, argv, options) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    let first = null, out = '', err = '';
    const p = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    p.stdout.on('data', (d) => { first ??= process.hrtime.bigint(); out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0 || first === null || out.trim() !== '2') reject(new Error(`${cmd} exited ${code}, printed ${JSON.stringify(out.trim())}: ${err.trim().slice(-800)}`));
      else resolve(Number(first - t0) / 1e6);
    });
  });
}

/** commands: { impl: [cmd, argv] }. Returns { impl: { median, runs } } (or { error }). */
export async function runStartup(commands, { runs, cwd, env, log }) {
  const times = {};
  const errors = {};
  for (let r = 0; r < runs; r++) {
    for (const [impl, [cmd, argv]] of Object.entries(commands)) {
      if (errors[impl]) continue;
      try { (times[impl] ??= []).push(await timeToFirstOutput(cmd, argv, { cwd, env })); }
      catch (e) { errors[impl] = e.message; log(`start-up ${impl}: ${e.message}`); }
    }
  }
  const result = {};
  for (const impl of Object.keys(commands)) {
    result[impl] = errors[impl] ? { error: errors[impl] } : { median: median(times[impl]), runs: times[impl] };
  }
  return result;
}
