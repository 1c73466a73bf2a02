// Load test of examples/server/server.mjs with autocannon, against localhost only and bounded
// in time: for each place the training job can run (a worker thread, the main thread), starts
// the server in a child process, then sends POST /predict (one MNIST test image, raw bytes)
// from --connections connections for --duration seconds with training off, then on (with a
// batch of 64 labelled images POSTed to /train every second). Prints requests/s, p50/p99
// latency and the training steps/s reached meanwhile, as a Markdown table.
// Run: node examples/server/load.mjs [--duration 10] [--connections 10] [--train-in worker,main] [--threads N]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as torch from 'torch-node';

const autocannon = await import('autocannon').then((m) => m.default, () => {
  console.error('load.mjs needs autocannon, a devDependency: npm install');
  process.exit(1);
});

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    'train-in': { type: 'string', default: 'worker,main' },
    threads: { type: 'string' },
  },
});
const duration = Number(args.duration);
const connections = Number(args.connections);
const server = path.join(path.dirname(fileURLToPath(import.meta.url)), 'server.mjs');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'server-load-'));

// One test image for the predictions; 64 labelled ones (label byte + 784 pixels each) for /train.
const test = torch.utils.data.datasets.MNIST.fromPackage({ train: false });
const image = Buffer.from(test.data.get(0).contiguous().toTypedArray().buffer);
const records = Array.from({ length: 64 }, (_, i) => Buffer.concat([
  Buffer.from([test.targets.get(i).item()]), Buffer.from(test.data.get(i).contiguous().toTypedArray().buffer)]));
const trainBatch = Buffer.concat(records);

async function startServer(trainIn) {
  const extra = args.threads ? ['--threads', args.threads] : [];
  const child = spawn(process.execPath, [server, '--port', '0', '--paused', '--train-in', trainIn,
    '--checkpoint', path.join(scratch, `${trainIn}.pt`), ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  // The server's lines go on to our stderr; the first one says where it listens.
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      process.stderr.write(chunk.replace(/^(?=.)/gm, `  [server, ${trainIn}] `));
      output += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`the server exited (code ${code}) before listening`)));
  });
}

const post = (url, body, type = 'application/json') =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': type } }).then((r) => r.json());

async function phase(url, training) {
  await post(`${url}/training`, JSON.stringify({ enabled: training }));
  await new Promise((resolve) => setTimeout(resolve, 1000)); // let training get going (or finish its step)
  const before = await fetch(`${url}/status`).then((r) => r.json());
  const feeder = training
    ? setInterval(() => void post(`${url}/train`, trainBatch, 'application/octet-stream'), 1000)
    : null;
  const result = await autocannon({
    url: `${url}/predict`, method: 'POST', connections, duration,
    headers: { 'content-type': 'application/octet-stream' }, body: image,
  });
  clearInterval(feeder);
  await post(`${url}/training`, JSON.stringify({ enabled: false }));
  const after = await fetch(`${url}/status`).then((r) => r.json());
  return {
    rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
    stepsPerSecond: (after.steps - before.steps) / duration, rounds: after.round - before.round,
  };
}

const rows = [];
for (const trainIn of args['train-in'].split(',')) {
  const { child, url } = await startServer(trainIn);
  for (const training of [false, true]) {
    const r = await phase(url, training);
    rows.push([training ? `on (${trainIn} thread)` : `off (${trainIn} mode)`, r.rps.toFixed(0), r.p50.toFixed(1), r.p99.toFixed(1),
      training ? `${r.stepsPerSecond.toFixed(1)} (${r.rounds} rounds)` : '-', String(r.failed)]);
    console.error(`${trainIn}, training ${training ? 'on' : 'off'}: ${rows.at(-1).join(' | ')}`);
  }
  child.kill('SIGTERM');
  await once(child, 'exit');
}
fs.rmSync(scratch, { recursive: true, force: true });

console.log(`\nPOST /predict, ${connections} connections, ${duration} s per phase; ${os.cpus().length} cores (${os.cpus()[0].model}), ` +
  `Node ${process.version}, intra-op threads ${args.threads ?? 'default'}\n`);
console.log('| training | requests/s | p50 latency (ms) | p99 latency (ms) | training steps/s (batch 64) | failed |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
