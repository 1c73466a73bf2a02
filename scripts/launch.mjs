#!/usr/bin/env node
// A launcher in the spirit of torchrun, for one machine:
//   node scripts/launch.mjs --nproc 2 examples/ddp.mjs [script args...]
// starts one Node process per rank with RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE,
// MASTER_ADDR (127.0.0.1) and MASTER_PORT (a free port unless --master-port) in its
// environment, so `torch.distributed.initProcessGroup('gloo')` finds its peers. Each output
// line is prefixed with `[rank N]`. If a rank fails, the others are stopped and the launcher
// exits with that rank's status; it exits 0 when every rank did.
import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import readline from 'node:readline';

const USAGE = 'usage: node scripts/launch.mjs [--nproc N] [--master-port PORT] [--master-addr ADDR] script.mjs [args...]';
const KILL_GRACE_MS = 3000;

function parseArgs(argv) {
  const options = { nproc: 1, masterPort: 0, masterAddr: '127.0.0.1' };
  let i = 0;
  const value = (name) => {
    if (i + 1 >= argv.length) throw new Error(`${name} needs a value\n${USAGE}`);
    return argv[++i];
  };
  for (; i < argv.length && argv[i].startsWith('--'); i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const read = (name) => inline ?? value(name);
    if (flag === '--nproc' || flag === '--nproc-per-node' || flag === '--nproc_per_node') options.nproc = Number(read(flag));
    else if (flag === '--master-port' || flag === '--master_port') options.masterPort = Number(read(flag));
    else if (flag === '--master-addr' || flag === '--master_addr') options.masterAddr = read(flag);
    else if (flag === '--help') { console.log(USAGE); process.exit(0); }
    else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  if (!(Number.isInteger(options.nproc) && options.nproc >= 1)) throw new Error(`--nproc expects a positive integer\n${USAGE}`);
  if (i >= argv.length) throw new Error(`no script to run\n${USAGE}`);
  return { ...options, script: argv[i], args: argv.slice(i + 1) };
}

/** A port nobody listens on now (the OS picks it; rank 0's store binds it a moment later). */
function freePort(host) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function prefixLines(stream, out, prefix) {
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`${prefix}${line}\n`));
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  const port = options.masterPort || await freePort(options.masterAddr);
  const children = [];
  let failure = null;
  const stopOthers = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    setTimeout(() => { for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL'); }, KILL_GRACE_MS).unref();
  };
  const exits = [];
  for (let rank = 0; rank < options.nproc; rank++) {
    const env = {
      ...process.env, RANK: String(rank), LOCAL_RANK: String(rank), WORLD_SIZE: String(options.nproc),
      LOCAL_WORLD_SIZE: String(options.nproc), MASTER_ADDR: options.masterAddr, MASTER_PORT: String(port),
    };
    const child = spawn(process.execPath, [...process.execArgv, options.script, ...options.args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    prefixLines(child.stdout, process.stdout, `[rank ${rank}] `);
    prefixLines(child.stderr, process.stderr, `[rank ${rank}] `);
    exits.push(new Promise((resolve) => {
      child.on('error', (e) => { console.error(`[launch] rank ${rank} could not start: ${e.message}`); resolve(1); });
      // 'close' comes after the last output line, unlike 'exit'.
      child.on('close', (code, signal) => {
        const status = code ?? 128 + (os.constants.signals[signal] ?? 0);
        if (status !== 0 && failure === null) {
          failure = { rank, status };
          console.error(`[launch] rank ${rank} exited with ${code ?? signal}; stopping the other ranks`);
          stopOthers();
        }
        resolve(status);
      });
    }));
  }
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (failure === null) failure = { rank: -1, status: 130 };
      stopOthers();
    });
  }
  await Promise.all(exits);
  process.exit(failure ? failure.status : 0);
}

main();
