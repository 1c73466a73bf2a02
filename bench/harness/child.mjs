// A benchmark program kept running between timed blocks: the runner writes one command per
// line on its stdin and reads one JSON line back (protocol: bench/workloads.mjs's header).
// Keeping the three programs alive lets their blocks interleave (A B A B ...) without
// paying each start-up again.
import { spawn } from 'node:child_process';
import readline from 'node:readline';

export class Child {
  constructor(name, cmd, argv, options) {
    this.name = name;
    this.stderr = '';
    this.proc = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'pipe'], ...options });
    this.waiting = [];
    this.exited = new Promise((resolve) => this.proc.on('close', (code) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`${name} exited (${code}): ${this.stderr.trim().slice(-1500)}`));
      resolve(code);
    }));
    this.proc.on('error', (e) => { this.stderr += String(e); });
    this.proc.stdin.on('error', () => { /* the close handler reports the exit */ });
    this.proc.stderr.on('data', (d) => { this.stderr = (this.stderr + d).slice(-20000); });
    readline.createInterface({ input: this.proc.stdout }).on('line', (line) => {
      let reply;
      try { reply = JSON.parse(line); } catch { return; } // not ours (a library's print)
      this.waiting.shift()?.resolve(reply);
    });
  }

  /** Sends one command; resolves with its JSON reply (rejects on an {error} reply or exit). */
  send(command) {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve: (r) => (r.error ? reject(new Error(`${this.name}: ${r.error}`)) : resolve(r)), reject });
      this.proc.stdin.write(command + '\n');
    });
  }

  async close() {
    this.proc.stdin.end('quit\n');
    await this.exited;
  }
}
