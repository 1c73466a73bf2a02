// Turns the measurements into the console tables and the generated part of bench/RESULTS.md.
// Ratios are torch-node time / other time (lower is better for torch-node).
import { WORKLOADS } from './workloads-phase.mjs';

export const PEROP_WORKLOADS = ['add1', 'add1-dispose', 'chain4', 'chain4-tidy', 'fromArray', 'item'];
// add1-dispose and chain4-tidy exist only in torch-node; C++ and Python free results
// deterministically, so their add1 / chain4 figures are the reference (marked with *).
const PEROP_REFERENCE = { 'add1-dispose': 'add1', 'chain4-tidy': 'chain4' };
const TRAINING = ['mlp-sgd', 'cnn-adam', 'lstm-adam', 'gan'];
const GC_PAIRS = [...TRAINING, 'infer-cnn-b1']; // workloads with a `-tidy` twin
const INFERENCE = ['infer-cnn-b1', 'infer-cnn-b256'];
const TARGETS = { perop: 1.0, floor: 1.05, gc: 1.2 };

/** The workloads, one markdown bullet each (for RESULTS.md). */
export const WORKLOAD_NOTES = [
  '`add1`: `a + b` on 1-element float32 tensors, the result dropped (torch-node: left to the GC); `add1-dispose`: torch-node only, `.dispose()` on each result',
  '`chain4`: `((a + b) * b).relu().sum()`; `chain4-tidy`: torch-node only, inside `torch.tidy`',
  '`fromArray`: a 16-element float32 tensor from a host list (C++ `from_blob(...).clone()`, Python `torch.tensor(list)`, torch-node `torch.tensor(array)`); `item`: `a.item()`',
  '`transfer-copy`: torch-node `torch.tensor(f32)` + `toTypedArray()`, Python `torch.tensor(ndarray)` + `.numpy().copy()`, C++ `from_blob(...).clone()` + `memcpy` into a new buffer',
  '`transfer-zerocopy`: torch-node `torch.fromArray(f32)` + `typedArrayView()`, Python `torch.from_numpy` + `.numpy()`, C++ `from_blob` + `data_ptr`',
  ...WORKLOADS.filter((w) => !w.name.startsWith('transfer')).map((w) => `\`${w.name}\`: ${w.what}`),
].map((l) => `- ${l}`).join('\n');

export function fmtTime(ns) {
  if (ns == null) return 'n/a';
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(ns >= 1e8 ? 0 : 2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns.toFixed(0)} ns`;
}
const ratio = (a, b) => (a != null && b != null ? a / b : null);
const fmtRatio = (r) => (r == null ? 'n/a' : `${r.toFixed(2)}x`);
const threadLabel = (t, infos) => (t === 0 ? `default (${[...new Set(Object.values(infos).map((i) => i.defaultThreads))].join('/')})` : String(t));

function textTable(h, rs) {
  const w = h.map((_, i) => Math.max(h[i].length, ...rs.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ');
  return [line(h), w.map((x) => '-'.repeat(x)).join('  '), ...rs.map(line)].join('\n');
}
function mdTable(h, rs) {
  return [`| ${h.join(' | ')} |`, `|${h.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...rs.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** All tables as { title, header, rows, note }. */
export function tables({ perop, work, startup }) {
  const out = [];
  const pv = (impl, w, field = 'results') => {
    const r = perop?.[impl]?.[field];
    if (!r) return null;
    if (w in r) return { ns: r[w], ref: false };
    if (PEROP_REFERENCE[w] in r) return { ns: r[PEROP_REFERENCE[w]], ref: true };
    return null;
  };
  if (perop) {
    const f = (v) => (v ? `${v.ns.toFixed(1)}${v.ref ? '*' : ''}` : 'n/a');
    out.push({
      title: 'Per-op overhead (ns per iteration, 1 intra-op thread; the median over rounds of the mean of 5 runs)',
      header: ['workload', 'C++', 'Python', 'torch-node', 'node/Python', 'node/C++', 'CPU node/Python', 'CPU node/C++'],
      rows: PEROP_WORKLOADS.map((w) => {
        const [c, p, n] = ['cpp', 'python', 'node'].map((i) => pv(i, w));
        const [cc, pc, nc] = ['cpp', 'python', 'node'].map((i) => pv(i, w, 'cpu'));
        return [w, f(c), f(p), f(n), fmtRatio(ratio(n?.ns, p?.ns)), fmtRatio(ratio(n?.ns, c?.ns)), fmtRatio(ratio(nc?.ns, pc?.ns)), fmtRatio(ratio(nc?.ns, cc?.ns))];
      }),
      note: '\\* C++ and Python free each result at once (destructor / refcount): their add1 / chain4 figures, for reference. CPU: the same ratios in process CPU time (all threads: V8\'s GC helpers count for torch-node).',
    });
  }
  if (work) {
    const get = (w, t, impl) => work.ns[`${w}@${t}`]?.[impl]?.median ?? null;
    for (const t of work.threads) {
      out.push({
        title: `Transfer, training steps and inference, threads = ${threadLabel(t, work.infos)} (time per iteration, median of ${work.rounds} interleaved blocks)`,
        header: ['workload', 'C++', 'Python', 'torch-node', 'node/Python', 'node/C++', 'Python/C++'],
        rows: WORKLOADS.filter((w) => !w.nodeOnly && work.ns[`${w.name}@${t}`]).map(({ name: w }) => {
          const [c, p, n] = ['cpp', 'python', 'node'].map((i) => get(w, t, i));
          return [w, fmtTime(c), fmtTime(p), fmtTime(n), fmtRatio(ratio(n, p)), fmtRatio(ratio(n, c)), fmtRatio(ratio(p, c))];
        }),
      });
    }
    const cpu = (w, t, impl) => work.ns[`${w}@${t}`]?.[impl]?.cpu ?? null;
    if (work.threads.includes(1)) {
      out.push({
        title: 'threads = 1, process CPU time per iteration (all threads of the process, less sensitive to other load than wall time)',
        header: ['workload', 'C++', 'Python', 'torch-node', 'node/Python', 'node/C++'],
        rows: WORKLOADS.filter((w) => work.ns[`${w.name}@1`]).map(({ name: w, nodeOnly }) => {
          const [c, p, n] = ['cpp', 'python', 'node'].map((i) => cpu(nodeOnly ? w.replace(/-tidy$/, '') : w, 1, i));
          const nn = cpu(w, 1, 'node');
          return [w, fmtTime(c), fmtTime(p), fmtTime(nn), fmtRatio(ratio(nn, p)), fmtRatio(ratio(nn, c))];
        }),
        note: 'For the `-tidy` rows, C++ and Python show the same step without tidy.',
      });
    }
    out.push({
      title: 'GC-managed tensors vs explicit disposal (torch-node; the step as written vs inside torch.tidy)',
      header: ['workload', 'threads', 'GC-managed', 'torch.tidy', 'GC/tidy', 'tidy/C++'],
      rows: work.threads.flatMap((t) => GC_PAIRS.filter((w) => work.ns[`${w}-tidy@${t}`]).map((w) => {
        const g = get(w, t, 'node'), d = get(`${w}-tidy`, t, 'node');
        return [w, threadLabel(t, work.infos), fmtTime(g), fmtTime(d), fmtRatio(ratio(g, d)), fmtRatio(ratio(d, get(w, t, 'cpp')))];
      })),
    });
    out.push({
      title: 'CNN inference throughput (samples/s, eval + inference mode)',
      header: ['batch', 'threads', 'C++', 'Python', 'torch-node'],
      rows: work.threads.flatMap((t) => INFERENCE.filter((w) => work.ns[`${w}@${t}`]).map((w) => {
        const batch = Number(w.split('-b')[1]);
        const tp = (impl) => { const ns = get(w, t, impl); return ns ? (batch * 1e9 / ns).toFixed(0) : 'n/a'; };
        return [String(batch), threadLabel(t, work.infos), tp('cpp'), tp('python'), tp('node')];
      })),
    });
  }
  if (startup) {
    const ms = (i) => (startup[i]?.median != null ? `${startup[i].median.toFixed(0)} ms` : 'n/a');
    const m = (i) => startup[i]?.median ?? null;
    out.push({
      title: `Start-up: process start to the first op's result on stdout (median of ${startup.runs} alternating runs)`,
      header: ['program', 'C++', 'Python', 'torch-node', 'node/Python', 'node/C++'],
      rows: [['start-up', ms('cpp'), ms('python'), ms('node'), fmtRatio(ratio(m('node'), m('python'))), fmtRatio(ratio(m('node'), m('cpp')))]],
    });
  }
  return out;
}

const verdict = (r, limit) => (r == null ? 'not measured' : r <= limit ? `met (${r.toFixed(2)}x)` : `**missed** (${r.toFixed(2)}x)`);

/** The three targets of issue 5, each line computed from the figures. */
export function targets({ perop, work }) {
  const lines = [];
  const pn = perop?.node?.results, pp = perop?.python?.results;
  const nc = perop?.node?.cpu ?? {}, pc = perop?.python?.cpu ?? {};
  if (pn && pp) {
    const items = [['add1 (GC-managed)', 'add1', 'add1'], ['add1-dispose', 'add1-dispose', 'add1'], ['chain4', 'chain4', 'chain4'],
      ['chain4-tidy', 'chain4-tidy', 'chain4'], ['fromArray', 'fromArray', 'fromArray'], ['item', 'item', 'item']];
    lines.push(`- **Per-op overhead <= ${TARGETS.perop.toFixed(2)}x PyTorch:** ` + items.map(([n, a, b]) => {
      const c = ratio(nc[a], pc[b]);
      return `${n} ${verdict(ratio(pn[a], pp[b]), TARGETS.perop)}${c != null ? ` [CPU ${c.toFixed(2)}x]` : ''}`;
    }).join('; ') + '.');
  }
  if (work) {
    const get = (w, t, impl, field = 'median') => work.ns[`${w}@${t}`]?.[impl]?.[field] ?? null;
    // Wall-time ratio decides; the process-CPU ratio (threads = 1) is shown beside it, since
    // on a loaded machine wall time also measures who was descheduled.
    const both = (a, b, t) => {
      const r = ratio(get(a, t, 'node'), get(b, t, b === a ? 'cpp' : 'node'));
      const c = t === 1 ? ratio(get(a, t, 'node', 'cpu'), get(b, t, b === a ? 'cpp' : 'node', 'cpu')) : null;
      return [r, c];
    };
    const say = (name, [r, c], limit) => `${name} ${verdict(r, limit)}${c != null ? ` [CPU ${c.toFixed(2)}x]` : ''}`;
    const items = work.threads.flatMap((t) => [...TRAINING, ...INFERENCE].map((w) => [`${w}@${t || 'default'}`, both(w, w, t)]));
    const missed = items.filter(([, [r]]) => r != null && r > TARGETS.floor).length;
    lines.push(`- **Training and inference steps <= ${TARGETS.floor}x the C++ floor:** ${items.filter(([, [r]]) => r != null).length - missed} met, ${missed} missed: ` +
      items.map(([n, rc]) => say(n, rc, TARGETS.floor)).join('; ') + '.');
    const gc = work.threads.flatMap((t) => GC_PAIRS.map((w) => [`${w}@${t || 'default'}`, both(w, `${w}-tidy`, t)]));
    if (pn) gc.unshift(['add1 (per-op)', [ratio(pn.add1, pn['add1-dispose']), null]]);
    lines.push(`- **GC-managed within ${TARGETS.gc}x of explicit disposal:** ` + gc.map(([n, rc]) => say(n, rc, TARGETS.gc)).join('; ') + '.');
  }
  return lines;
}

export function printTables(ts) {
  for (const t of ts) {
    console.log(`\n${t.title}\n`);
    console.log(textTable(t.header, t.rows));
    if (t.note) console.log(t.note.replace(/\\\*/g, '*'));
  }
}

export function markdownTables(ts) {
  return ts.map((t) => `### ${t.title}\n\n${mdTable(t.header, t.rows)}\n${t.note ? `\n${t.note}\n` : ''}`).join('\n');
}
