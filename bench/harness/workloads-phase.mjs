// Drives the three workload programs (C++, Python, torch-node) in interleaved rounds:
// each round runs one timed block of every workload in every implementation, the order of
// implementations rotating per round, so a change in machine load hits all of them alike.
// Reports the median ns per iteration over the rounds' blocks.

/** name, what it is, which implementations run it. `-tidy`: torch-node only (GC target). */
export const WORKLOADS = [
  { name: 'transfer-copy', what: '100 MB Float32Array -> tensor -> new Float32Array, copying both ways' },
  { name: 'transfer-zerocopy', what: '100 MB Float32Array -> tensor -> TypedArray view, no copy' },
  { name: 'mlp-sgd', what: 'MLP 784-256-10, batch 64, cross-entropy, SGD momentum 0.9: one step' },
  { name: 'mlp-sgd-tidy', what: 'the same step inside torch.tidy (explicit disposal)', nodeOnly: true },
  { name: 'cnn-adam', what: 'CNN Conv2d(3,32,3)-ReLU-MaxPool2d(2)-Flatten-Linear(7200,64)-ReLU-Linear(64,10), batch 32 of 3x32x32, Adam: one step' },
  { name: 'cnn-adam-tidy', what: 'the same step inside torch.tidy', nodeOnly: true },
  { name: 'lstm-adam', what: 'LSTM(1,50) over 10 steps, batch 32, -> Linear(50,1), MSE, Adam: one step' },
  { name: 'lstm-adam-tidy', what: 'the same step inside torch.tidy', nodeOnly: true },
  { name: 'gan', what: 'GAN, batch 64: G Linear(100,256)-LeakyReLU-Linear(256,784)-Tanh, D Linear(784,256)-LeakyReLU-Linear(256,1)-Sigmoid, BCE, Adam; D then G updated' },
  { name: 'gan-tidy', what: 'the same step inside torch.tidy', nodeOnly: true },
  { name: 'infer-cnn-b1', what: 'the CNN, eval + inference mode, batch 1: one forward' },
  { name: 'infer-cnn-b1-tidy', what: 'the same forward inside torch.tidy', nodeOnly: true },
  { name: 'infer-cnn-b256', what: 'the CNN, eval + inference mode, batch 256: one forward' },
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * impls: { cpp: Child, python: Child, node: Child } (missing ones skipped);
 * threads: e.g. [1, 0] (0 = each library's default); rounds; blockSeconds: target block length.
 * Returns { infos, iters: {`${w}@${t}`: n}, ns: {`${w}@${t}`: {impl: {median, cpu, blocks}}} }
 * (median: wall ns per iteration; cpu: the median block's process CPU ns per iteration).
 */
export async function runWorkloads({ impls, threads, rounds, blockSeconds, log, only }) {
  const names = Object.keys(impls);
  const infos = {};
  for (const n of names) infos[n] = await impls[n].send('info');
  const list = WORKLOADS.filter((w) => !only || only.some((o) => w.name.startsWith(o)));
  const who = (w) => names.filter((n) => !w.nodeOnly || n === 'node');
  const runnable = list.filter((w) => who(w).length > 0);

  // Warm-up and calibration: build each workload's state, run it, then size the blocks so the
  // slowest implementation takes about blockSeconds per block (the same count for all).
  const iters = {};
  for (const w of runnable) {
    for (const t of threads) {
      const key = `${w.name}@${t}`;
      const base = w.nodeOnly ? iters[`${w.name.replace(/-tidy$/, '')}@${t}`] : undefined;
      let slowest = 0;
      for (const n of who(w)) {
        await impls[n].send(`${w.name} ${t} 1`);
        const one = (await impls[n].send(`${w.name} ${t} 1`)).ns;
        const warm = Math.max(1, Math.min(10000, Math.round((blockSeconds / 4) * 1e9 / one)));
        slowest = Math.max(slowest, (await impls[n].send(`${w.name} ${t} ${warm}`)).ns);
      }
      iters[key] = base ?? Math.max(1, Math.round(blockSeconds * 1e9 / slowest));
    }
    log(`warmed up ${w.name} (${threads.map((t) => `${iters[`${w.name}@${t}`]} iterations/block at threads=${t || 'default'}`).join(', ')})`);
  }

  const blocks = {};
  for (let r = 0; r < rounds; r++) {
    const started = Date.now();
    for (const w of runnable) {
      for (const t of threads) {
        const key = `${w.name}@${t}`;
        const order = who(w);
        const rotated = order.map((_, i) => order[(i + r) % order.length]);
        for (const n of rotated) {
          const reply = await impls[n].send(`${w.name} ${t} ${iters[key]}`);
          ((blocks[key] ??= {})[n] ??= []).push(reply);
        }
      }
    }
    log(`round ${r + 1}/${rounds} done (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  const ns = {};
  for (const [key, byImpl] of Object.entries(blocks)) {
    ns[key] = {};
    for (const [n, b] of Object.entries(byImpl)) {
      const cpu = b.every((r) => r.cpu != null) ? median(b.map((r) => r.cpu)) : null;
      ns[key][n] = { median: median(b.map((r) => r.ns)), cpu, blocks: b.map((r) => r.ns) };
    }
  }
  return { infos, iters, ns };
}

export { median };
