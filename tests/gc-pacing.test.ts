import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import * as torch from '../lib/index';
import { native } from '../lib/native';
import { configureGcPacing, DEFAULT_GC_PACING, exposedGc } from '../lib/gc-pacing';

// GC pacing (lib/gc-pacing.ts, native/handle.cc): a minor GC every N new tensors frees the
// results a synchronous loop drops while their memory is warm, backs off while results are
// kept, and never runs for tensors freed by dispose() or tidy().
const gc = exposedGc()!;
const INTERVAL = 1000;
let calls = 0;

function countingPacing(): void {
  calls = 0;
  native.setCollector((major) => { calls++; gc({ type: major ? 'major' : 'minor' }); }, INTERVAL);
}

describe('GC pacing', () => {
  const a = torch.ones(1);
  const b = torch.ones(1);

  beforeEach(() => {
    gc({ type: 'major' }); // start from no garbage
    countingPacing();
  });
  afterAll(() => configureGcPacing(process.env.TORCH_NODE_GC_PACING));

  it('frees dropped results every interval during a loop that never yields', () => {
    const base = torch.liveTensors();
    let peak = 0;
    for (let i = 0; i < 10_000; i++) {
      a.add(b);
      peak = Math.max(peak, torch.liveTensors() - base);
    }
    expect(calls).toBeGreaterThanOrEqual(8);
    expect(calls).toBeLessThanOrEqual(10);
    // At most one interval of dead results waits for its GC (plus the few a GC finds still
    // referenced from the stack).
    expect(peak).toBeLessThanOrEqual(INTERVAL + 16);
  });

  it('backs off while results are kept, and frees none of them', () => {
    const base = torch.liveTensors();
    const kept: torch.Tensor[] = [];
    for (let i = 0; i < 30_000; i++) kept.push(a.add(b));
    // Intervals 1,000, 2,000, 4,000, 8,000, then 16,000: four GCs in 30,000 tensors.
    expect(calls).toBe(4);
    expect(torch.liveTensors()).toBe(base + 30_000);
    expect(kept[0].item()).toBe(2);
    expect(kept[29_999].item()).toBe(2);
  });

  it('returns to the short interval once results die young again', () => {
    const kept: torch.Tensor[] = [];
    for (let i = 0; i < 6_500; i++) kept.push(a.add(b)); // GCs at 1,000 and 3,000; the next at 7,000
    expect(calls).toBe(2);
    kept.length = 0;
    for (let i = 0; i < 5_000; i++) a.add(b); // the GC at 7,000 frees most: back to 1,000
    expect(calls).toBe(2 + 1 + 4);
  });

  it('never runs for tensors freed by dispose() or tidy()', () => {
    for (let i = 0; i < 5_000; i++) a.add(b).dispose();
    for (let i = 0; i < 2_500; i++) torch.tidy(() => { a.add(b).mul(b); });
    expect(calls).toBe(0);
  });

  it('an interval of 0 turns it off rather than collecting at every tensor', () => {
    native.setCollector(() => { calls++; }, 0);
    for (let i = 0; i < 3_000; i++) a.add(b);
    expect(calls).toBe(0);
  });

  it('a JS error thrown during an op still reaches the caller', () => {
    native.setCollector((major) => { calls++; gc({ type: major ? 'major' : 'minor' }); }, 1);
    expect(() => a.add(torch.ones(2, 3)).add(torch.ones(4))).toThrow(/must match the size/);
    expect(calls).toBeGreaterThan(0);
  });

  it('loads in a Node whose V8 flags are frozen (writing one there would abort the process)', () => {
    const dist = path.join(__dirname, '..', 'dist', 'cjs', 'index.js');
    const r = spawnSync(process.execPath, ['--freeze-flags-after-init', '-e',
      `const t = require(${JSON.stringify(dist)}); console.log(t.ones(2).add(1).sum().item())`], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/Fatal error|Check failed/);
    expect(r.stdout.trim()).toBe('4');
    expect(r.status).toBe(0);
  });

  it('TORCH_NODE_GC_PACING: 0 turns it off, a positive integer sets the interval', () => {
    expect(configureGcPacing('0')).toBe(0);
    expect(configureGcPacing('500')).toBe(500);
    expect(configureGcPacing(undefined)).toBe(DEFAULT_GC_PACING);
    expect(configureGcPacing('fast')).toBe(DEFAULT_GC_PACING);
    expect(configureGcPacing('-3')).toBe(DEFAULT_GC_PACING);
  });
});
