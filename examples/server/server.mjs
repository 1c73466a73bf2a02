// An HTTP service that serves predictions from the seed's CNN while the same process trains it:
//   POST /predict   one 28x28 image -> { class, probabilities, round }
//                   (784 raw bytes, application/octet-stream; or JSON { "image": 784 or 28x28 numbers in [0, 1] })
//   POST /train     labelled images, trained on in the next steps -> 202 { accepted, queued }
//                   (records of 785 bytes: the label, then 784 pixels; or JSON { "images": [...], "labels": [...] })
//   POST /training  { "enabled": true | false } turns the training job on or off
//   GET  /status    rounds, steps, last loss, test accuracy of the model being served
// Predictions run with forwardAsync on a traced copy of the weights (libuv's threads); training
// runs in a worker thread (--train-in worker, the default) or on the main thread between two
// turns of the event loop (--train-in main). At the end of each round of steps the new weights
// are traced and swapped in for serving, and the checkpoint is saved (torch.save writes a
// temporary file and renames it, so a crash never leaves half a checkpoint).
// Run: node examples/server/server.mjs [--port 8080] [--train-in worker|main] [--round-steps 50]
//        [--checkpoint examples/output/server.pt] [--paused] [--threads N]
import http from 'node:http';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as torch from 'torch-node';
import { servingModel } from './net.mjs';
import { Trainer, TrainingSwitch, trainInRounds } from './trainer.mjs';

const PIXELS = 28 * 28;
const here = path.dirname(fileURLToPath(import.meta.url));

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * Starts the service; resolves once it answers, with { port, url, status(), close() }.
 * Options: port (0 picks a free one), host, trainIn ('worker' | 'main'), roundSteps,
 * checkpoint (a file, or null for none), training (start with training on), log.
 */
export async function startServer(options = {}) {
  const { port = 8080, host = '127.0.0.1', trainIn = 'worker', roundSteps = 50, checkpoint = null,
    training = true, log = () => {}, seed = 0 } = options;
  const state = { round: 0, steps: 0, loss: null, queued: 0, testAccuracy: null, testedRound: -1, predictions: 0, training, trainIn };
  const test = torch.utils.data.datasets.MNIST.fromPackage({ train: false });
  const [testImages, testLabels] = test.getBatch(torch.arange(1000));
  let serving = null;

  // New weights: traced and swapped in for serving at once; then measured on 1,000 test
  // images (off the JS thread), one measurement at a time, of the newest model.
  let measuring = null;
  let unmeasured = null;
  function swapIn(weights, progress) {
    serving = servingModel(torch.deserialize(weights));
    unmeasured = { model: serving, ...progress };
    measuring ??= (async () => {
      while (unmeasured) {
        const { model, round, steps, loss } = unmeasured;
        unmeasured = null;
        const probabilities = await torch.noGrad(() => model.forwardAsync(testImages));
        const accuracy = probabilities.argmax(1).eq(testLabels).float().mean().item();
        Object.assign(state, { testAccuracy: accuracy, testedRound: round });
        if (round > 0) log(`round ${round}: ${steps} steps, loss ${loss.toFixed(3)}, test accuracy ${(100 * accuracy).toFixed(1)}%`);
      }
    })().catch((e) => log(`measuring the model failed: ${e.message}`)).finally(() => (measuring = null));
  }
  const onRound = (progress, weights) => swapIn(weights, Object.assign(state, progress, { round: state.round + 1 }));

  const settings = { checkpoint, roundSteps, training, seed, onRound, onProgress: (p) => Object.assign(state, p) };
  const job = trainIn === 'worker' ? await workerJob(settings) : mainThreadJob(settings);
  swapIn(job.initialWeights, { round: 0 });

  async function predict(body, type) {
    const pixels = type === 'application/json' ? jsonImage(JSON.parse(body.toString()).image) : byteImage(body);
    const x = torch.fromArray(pixels, [1, 1, 28, 28]);
    const model = serving; // the one swapped in now; a swap meanwhile does not disturb this call
    const probabilities = (await torch.noGrad(() => model.forwardAsync(x))).toTypedArray();
    state.predictions++;
    const best = probabilities.indexOf(Math.max(...probabilities));
    return { class: best, probabilities: Array.from(probabilities), round: state.round };
  }

  function train(body, type) {
    const { pixels, labels } = type === 'application/json' ? jsonBatch(JSON.parse(body.toString())) : byteBatch(body);
    const accepted = labels.length; // read first: the worker job takes the buffers over
    job.add(pixels, labels);
    state.queued += accepted;
    return { accepted, queued: state.queued };
  }

  const server = http.createServer(async (req, res) => {
    const reply = (status, value) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    try {
      const route = `${req.method} ${new URL(req.url, 'http://x').pathname}`;
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
      if (route === 'GET /status') return reply(200, state);
      if (route === 'POST /predict') return reply(200, await predict(await readBody(req, 1 << 20), type));
      if (route === 'POST /train') return reply(202, train(await readBody(req, 64 << 20), type));
      if (route === 'POST /training') {
        const { enabled } = JSON.parse((await readBody(req, 1024)).toString());
        if (typeof enabled !== 'boolean') throw new HttpError(400, 'expected { "enabled": true | false }');
        job.setEnabled((state.training = enabled));
        return reply(200, state);
      }
      throw new HttpError(404, `no route ${route}`);
    } catch (e) {
      const status = e instanceof HttpError ? e.status : e instanceof SyntaxError ? 400 : 500;
      reply(status, { error: e.message });
    }
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const bound = server.address().port;
  log(`listening on http://${host}:${bound} (training ${training ? 'on' : 'off'}, in the ${trainIn === 'worker' ? 'worker' : 'main'} thread)`);

  return {
    port: bound,
    url: `http://${host}:${bound}`,
    status: () => ({ ...state }),
    async close() {
      await job.stop();
      await measuring;
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeIdleConnections();
      });
    },
  };
}

// The training job on the main thread: steps between turns of the event loop.
function mainThreadJob({ checkpoint, roundSteps, training, seed, onRound, onProgress }) {
  const trainer = new Trainer({ checkpoint, seed });
  const control = new TrainingSwitch(training);
  const progress = () => ({ steps: trainer.steps, loss: trainer.loss, queued: trainer.queued });
  const done = trainInRounds(trainer, control, {
    roundSteps, onStep: () => onProgress(progress()), onRound: (weights) => onRound(progress(), weights),
  });
  return {
    initialWeights: trainer.weights(),
    add: (pixels, labels) => trainer.add(pixels, labels),
    setEnabled: (enabled) => control.set(enabled),
    stop: () => (control.stop(), done),
  };
}

// The training job in a worker thread (trainer-worker.mjs).
async function workerJob({ checkpoint, roundSteps, training, seed, onRound, onProgress }) {
  const worker = new Worker(path.join(here, 'trainer-worker.mjs'), { workerData: { checkpoint, roundSteps, enabled: training, seed } });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  const ready = await new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', resolve);
  });
  worker.on('error', (e) => console.error(`training worker: ${e.stack}`));
  worker.on('message', ({ round, weights, ...progress }) => (round ? onRound(progress, weights) : onProgress(progress)));
  return {
    initialWeights: ready.weights,
    add: (pixels, labels) => worker.postMessage({ add: { pixels, labels } }, [pixels.buffer, labels.buffer]),
    setEnabled: (enabled) => worker.postMessage({ enabled }),
    stop: () => (worker.postMessage({ stop: true }), exited),
  };
}

function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, `the body is larger than ${limit} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// ---- request bodies -> pixels in [0, 1] (predictions) or bytes (training) -------------------

function byteImage(body) {
  if (body.length !== PIXELS) throw new HttpError(400, `expected ${PIXELS} bytes (a 28x28 image), got ${body.length}`);
  return Float32Array.from(body, (v) => v / 255);
}

function pixelValues(image, what) {
  const flat = Array.isArray(image) && Array.isArray(image[0]) ? image.flat() : image;
  if (!Array.isArray(flat) || flat.length !== PIXELS || !flat.every((v) => typeof v === 'number' && v >= 0 && v <= 1)) {
    throw new HttpError(400, `expected ${what} as ${PIXELS} numbers in [0, 1] (flat or 28 rows of 28)`);
  }
  return flat;
}

function jsonImage(image) {
  return Float32Array.from(pixelValues(image, '"image"'));
}

function checkLabels(labels) {
  if (!labels.every((l) => Number.isInteger(l) && l >= 0 && l <= 9)) throw new HttpError(400, 'expected labels that are digits 0 to 9');
}

function byteBatch(body) {
  const record = PIXELS + 1;
  if (body.length === 0 || body.length % record !== 0) {
    throw new HttpError(400, `expected records of ${record} bytes (a label, then 784 pixels), got ${body.length} bytes`);
  }
  const n = body.length / record;
  const pixels = new Uint8Array(n * PIXELS);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = body[i * record];
    pixels.set(body.subarray(i * record + 1, (i + 1) * record), i * PIXELS);
  }
  checkLabels(Array.from(labels));
  return { pixels, labels };
}

function jsonBatch({ images, labels }) {
  if (!Array.isArray(images) || !Array.isArray(labels) || images.length !== labels.length || images.length === 0) {
    throw new HttpError(400, 'expected { "images": [...], "labels": [...] } of the same length');
  }
  checkLabels(labels);
  const pixels = new Uint8Array(images.length * PIXELS);
  images.forEach((image, i) => pixels.set(pixelValues(image, 'each image').map((v) => Math.round(v * 255)), i * PIXELS));
  return { pixels, labels: Uint8Array.from(labels) };
}

// ---- command line -----------------------------------------------------------------------------

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values: args } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      'train-in': { type: 'string', default: 'worker' },
      'round-steps': { type: 'string', default: '50' },
      checkpoint: { type: 'string', default: 'examples/output/server.pt' },
      paused: { type: 'boolean' },
      threads: { type: 'string' },
    },
  });
  if (!['worker', 'main'].includes(args['train-in'])) throw new Error('--train-in: expected worker or main');
  if (args.threads) torch.setNumThreads(Number(args.threads));
  const service = await startServer({
    port: Number(args.port), trainIn: args['train-in'], roundSteps: Number(args['round-steps']),
    checkpoint: args.checkpoint, training: !args.paused, log: (line) => console.log(line),
  });
  const shutdown = async () => {
    await service.close();
    console.log('closed');
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
