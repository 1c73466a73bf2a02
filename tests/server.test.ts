// examples/server as a client sees it: predictions (raw bytes and JSON), a training batch, a
// round that swaps new weights in and writes the checkpoint, bad requests, a clean shutdown.
// The server runs as a user runs it, in its own process; it imports 'torch-node', i.e. dist/:
// `npm run build:ts` first (npm test does).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as torch from '../lib/index';

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist', 'cjs', 'index.js');

let folder: string;
let image: Buffer; // one MNIST test image, 784 bytes
let trainBatch: Buffer; // 64 records: label byte, 784 pixel bytes

/** The server in its own process, as a user starts it; resolves once it listens. */
async function startServer(...args: string[]) {
  // One intra-op thread: test files run side by side on few cores.
  const child = spawn(process.execPath, ['examples/server/server.mjs', '--port', '0', '--threads', '1', ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { child, output: '', url: '' };
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk) => (server.output += chunk));
  server.url = await new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      server.output += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(server.output);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${server.output}`)));
  });
  return server;
}

let server: Awaited<ReturnType<typeof startServer>>;
let url: string;

const post = async (route: string, body: string | Buffer, type = 'application/json') => {
  const r = await fetch(url + route, { method: 'POST', body, headers: { 'content-type': type } });
  return { status: r.status, body: await r.json() };
};
const status = () => fetch(url + '/status').then((r) => r.json());

/** Polls /status until `done` holds (or 90 s pass); returns the last status. */
async function waitFor(done: (s: Record<string, number>) => boolean) {
  const deadline = Date.now() + 90_000;
  let s = await status();
  while (!done(s) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    s = await status();
  }
  return s;
}

beforeAll(async () => {
  if (!fs.existsSync(dist)) throw new Error(`${dist} is missing: run npm run build:ts before these tests`);
  const test = torch.utils.data.datasets.MNIST.fromPackage({ train: false });
  const bytes = (i: number) => Buffer.from((test.data.get(i).contiguous().toTypedArray() as Uint8Array).buffer);
  image = bytes(0);
  trainBatch = Buffer.concat(Array.from({ length: 64 }, (_, i) => Buffer.concat([Buffer.from([test.targets.get(i).item() as number]), bytes(i)])));
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'server-test-'));
  server = await startServer('--paused', '--round-steps', '3', '--checkpoint', path.join(folder, 'server.pt'));
  url = server.url;
}, 120_000);

afterAll(() => {
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
  fs.rmSync(folder, { recursive: true, force: true });
});

describe('examples/server', () => {
  it('listens on a free port when given port 0, training off as asked', async () => {
    expect(Number(new URL(url).port)).toBeGreaterThan(0);
    expect(server.output).toMatch(/training off, in the worker thread/);
    expect(await status()).toMatchObject({ round: 0, steps: 0, training: false, trainIn: 'worker' });
  });

  it('answers predictions from raw bytes and from JSON, the same for the same image', async () => {
    const raw = await post('/predict', image, 'application/octet-stream');
    expect(raw.status).toBe(200);
    expect(raw.body.probabilities).toHaveLength(10);
    expect(raw.body.probabilities.reduce((a: number, p: number) => a + p, 0)).toBeCloseTo(1, 5);
    expect(raw.body.class).toBe(raw.body.probabilities.indexOf(Math.max(...raw.body.probabilities)));
    expect(raw.body.round).toBe(0);
    const rows = Array.from({ length: 28 }, (_, r) => Array.from(image.subarray(r * 28, r * 28 + 28), (v) => v / 255));
    const json = await post('/predict', JSON.stringify({ image: rows }));
    expect(json.status).toBe(200);
    json.body.probabilities.forEach((p: number, i: number) => expect(p).toBeCloseTo(raw.body.probabilities[i], 5));
  });

  it('answers concurrent predictions', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => post('/predict', image, 'application/octet-stream')));
    for (const a of answers) expect(a.status).toBe(200);
  });

  it('refuses bad requests with a reason', async () => {
    expect(await post('/predict', Buffer.alloc(10), 'application/octet-stream'))
      .toEqual({ status: 400, body: { error: 'expected 784 bytes (a 28x28 image), got 10' } });
    expect((await post('/predict', '{"image": [1, 2]}')).status).toBe(400);
    expect((await post('/predict', '{not json')).status).toBe(400);
    expect((await post('/train', Buffer.alloc(785, 11), 'application/octet-stream')).body.error).toMatch(/digits 0 to 9/);
    expect((await post('/nowhere', '{}')).status).toBe(404);
  });

  it('trains on a POSTed batch, swaps the new weights in at the end of a round and saves the checkpoint', async () => {
    const accepted = await post('/train', trainBatch, 'application/octet-stream');
    expect(accepted).toEqual({ status: 202, body: { accepted: 64, queued: 64 } });
    expect((await post('/training', JSON.stringify({ enabled: true }))).body.training).toBe(true);
    const s = await waitFor((s) => s.round >= 1 && s.queued === 0 && s.testedRound >= 1);
    expect(s.round).toBeGreaterThanOrEqual(1);
    expect(s.queued).toBe(0); // the batch went into the first step
    expect(s.testAccuracy).toBeGreaterThan(0);
    await post('/training', JSON.stringify({ enabled: false }));
    const prediction = await post('/predict', image, 'application/octet-stream');
    expect(prediction.body.round).toBeGreaterThanOrEqual(1);
    const checkpoint = torch.load(path.join(folder, 'server.pt')) as Record<string, torch.Tensor>;
    expect(Object.keys(checkpoint)).toEqual(['conv.weight', 'conv.bias', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    // No temporary file left behind. A round that ended as training was being switched off may
    // still be saving (its temporary file exists until the rename): give it time to finish.
    let names = fs.readdirSync(folder);
    for (const deadline = Date.now() + 20_000; names.length !== 1 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      names = fs.readdirSync(folder);
    }
    expect(names).toEqual(['server.pt']);
  }, 120_000);

  it('shuts down cleanly on SIGTERM: the server closes, the training worker stops, the process exits with 0', async () => {
    server.child.kill('SIGTERM');
    const [code] = await once(server.child, 'exit');
    expect(code).toBe(0);
    expect(server.output).toMatch(/closed\n$/);
    await expect(fetch(url + '/status')).rejects.toThrow();
  }, 60_000);

  it('trains on the main thread too (--train-in main), between requests', async () => {
    const main = await startServer('--train-in', 'main', '--round-steps', '2', '--checkpoint', path.join(folder, 'main.pt'));
    try {
      url = main.url;
      expect(main.output).toMatch(/training on, in the main thread/);
      const s = await waitFor((s) => s.testedRound >= 1);
      expect(s).toMatchObject({ trainIn: 'main', training: true });
      expect(s.steps).toBeGreaterThanOrEqual(2);
      expect((await post('/predict', image, 'application/octet-stream')).status).toBe(200);
      main.child.kill('SIGTERM');
      expect((await once(main.child, 'exit'))[0]).toBe(0);
      expect(fs.existsSync(path.join(folder, 'main.pt'))).toBe(true);
    } finally {
      if (main.child.exitCode === null) main.child.kill('SIGKILL');
    }
  }, 120_000);
});
