// How long the event loop waits while libtorch works: perf_hooks.monitorEventLoopDelay during
// back-to-back heavy calls made blocking and made with the async variants (which run on
// libuv's worker threads). Workloads: the seed's CNN traced with torch.jit.trace, forward of a
// batch of 256 images; a 100 MB tensor copied to a Float32Array.
// Run: node examples/server/loop-delay.mjs [--seconds 3] [--threads N]
//   --threads  libtorch's intra-op threads (on 2 cores, 1 leaves a core to the event loop)
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as torch from 'torch-node';
import { Net } from './net.mjs';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '3' }, threads: { type: 'string' } } });
const seconds = Number(args.seconds);
if (args.threads) torch.setNumThreads(Number(args.threads));

/** Calls `call` back to back for `seconds`, letting timers run in between; the loop's delays. */
async function measure(call) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const end = performance.now() + seconds * 1000;
  let calls = 0;
  while (performance.now() < end) {
    await call();
    calls++;
    await new Promise((resolve) => setTimeout(resolve, 1)); // the monitor's timer gets its turn
  }
  histogram.disable();
  const ms = (q) => (q === 'max' ? histogram.max : histogram.percentile(q)) / 1e6;
  return { perCall: (seconds * 1000) / calls, p50: ms(50), p99: ms(99), max: ms('max') };
}

torch.manualSeed(0);
const model = torch.jit.trace(new Net().eval(), torch.zeros(1, 1, 28, 28));
const batch = torch.rand(256, 1, 28, 28);
const big = torch.rand(25_000_000); // 100 MB of float32

const rows = [];
const run = async (name, call) => {
  const r = await measure(call);
  rows.push([name, r.perCall.toFixed(1), r.p50.toFixed(1), r.p99.toFixed(1), r.max.toFixed(1)]);
  console.error(rows.at(-1).join(' | '));
};
// The baseline: what the machine's own scheduling gives an idle loop.
await run('nothing (an idle loop: the machine\'s own noise)', () => new Promise((resolve) => setTimeout(resolve, 50)));
await torch.noGrad(async () => {
  await run('CNN forward, batch 256: `forward` (blocking)', async () => model.forward(batch));
  await run('CNN forward, batch 256: `forwardAsync`', () => model.forwardAsync(batch));
});
await run('100 MB to a Float32Array: `toTypedArray` (blocking)', async () => big.toTypedArray());
await run('100 MB to a Float32Array: `toTypedArrayAsync`', () => big.toTypedArrayAsync());

console.log(`\nEvent-loop delay during back-to-back calls, ${seconds} s each; ${os.cpus().length} cores (${os.cpus()[0].model}), ` +
  `Node ${process.version}, ${torch.getNumThreads()} intra-op threads\n`);
console.log('| work | ms per call | loop delay p50 (ms) | p99 (ms) | max (ms) |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
