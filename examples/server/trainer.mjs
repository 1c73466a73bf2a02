// The training side of the server: the seed's CNN trained with Adam in rounds of steps, on
// MNIST's training set (the seed) plus the labelled images POSTed to /train, which go into the
// next batches first. Runs on the main thread (server.mjs, one step between two turns of the
// event loop) or in a worker thread (trainer-worker.mjs).
import fs from 'node:fs';
import path from 'node:path';
import * as torch from 'torch-node';
import { Net } from './net.mjs';

const PIXELS = 28 * 28;

export class Trainer {
  constructor({ batchSize = 64, lr = 1e-3, seed = 0, checkpoint = null } = {}) {
    torch.manualSeed(seed);
    this.batchSize = batchSize;
    this.model = new Net();
    this.optimizer = new torch.optim.Adam(this.model.parameters(), { lr });
    this.checkpoint = checkpoint;
    if (checkpoint && fs.existsSync(checkpoint)) this.model.loadStateDict(torch.load(checkpoint)); // resume
    const mnist = torch.utils.data.datasets.MNIST.fromPackage();
    this.seedImages = mnist.data; // uint8 N x 28 x 28
    this.seedLabels = mnist.targets;
    this.queue = []; // { pixels: Uint8Array(n * 784), labels: Uint8Array(n), used: k } not trained on yet
    this.queued = 0;
    this.steps = 0;
    this.loss = NaN;
  }

  /** Labelled images to train on next: `pixels` holds n 28x28 images (bytes), `labels` n digits. */
  add(pixels, labels) {
    this.queue.push({ pixels, labels, used: 0 });
    this.queued += labels.length;
  }

  /** Up to a batch of queued images, completed with random ones from MNIST. */
  nextBatch() {
    const images = [];
    const labels = [];
    let count = 0;
    while (this.queue.length && count < this.batchSize) {
      const item = this.queue[0];
      const take = Math.min(this.batchSize - count, item.labels.length - item.used);
      images.push(torch.fromBuffer(item.pixels.subarray(item.used * PIXELS, (item.used + take) * PIXELS), torch.uint8, [take, 28, 28]));
      labels.push(torch.fromBuffer(item.labels.subarray(item.used, item.used + take), torch.uint8, [take]).long());
      item.used += take;
      count += take;
      this.queued -= take;
      if (item.used === item.labels.length) this.queue.shift();
    }
    if (count < this.batchSize) {
      const index = torch.randint(0, this.seedLabels.size(0), [this.batchSize - count]);
      images.push(this.seedImages.indexSelect(0, index));
      labels.push(this.seedLabels.indexSelect(0, index));
    }
    return [torch.cat(images).unsqueeze(1).float().div(255), torch.cat(labels)];
  }

  /** One optimizer step; its tensors are freed when it returns. */
  step() {
    this.model.train();
    this.loss = torch.tidy(() => {
      const [x, y] = this.nextBatch();
      this.optimizer.zeroGrad();
      const loss = torch.nn.functional.crossEntropy(this.model.forward(x), y);
      loss.backward();
      this.optimizer.step();
      return loss.item();
    });
    this.steps++;
  }

  /** The weights as torch.save bytes, to hand to the serving side. */
  weights() {
    return torch.serialize(this.model.stateDict());
  }

  /** Writes the checkpoint, if one is configured: torch.save writes a temporary file and renames it. */
  saveCheckpoint() {
    if (!this.checkpoint) return;
    fs.mkdirSync(path.dirname(this.checkpoint), { recursive: true });
    torch.save(this.model.stateDict(), this.checkpoint);
  }
}

/** Turns training on and off, and stops it; a paused loop sleeps until told. */
export class TrainingSwitch {
  constructor(enabled) {
    this.enabled = enabled;
    this.stopped = false;
    this.wake = () => {};
  }

  set(enabled) {
    this.enabled = enabled;
    this.wake();
  }

  stop() {
    this.stopped = true;
    this.wake();
  }

  sleep() {
    return new Promise((resolve) => (this.wake = resolve));
  }
}

/**
 * Trains while the switch is on, one step per turn of the event loop (requests and messages
 * are handled between two steps); calls onStep() after each step, and every `roundSteps` steps
 * saves the checkpoint and calls onRound(weights) with the weights as torch.save bytes.
 * Returns once the switch is stopped.
 */
export async function trainInRounds(trainer, control, { roundSteps, onStep = () => {}, onRound }) {
  while (!control.stopped) {
    if (!control.enabled) {
      await control.sleep();
      continue;
    }
    trainer.step();
    onStep();
    if (trainer.steps % roundSteps === 0) {
      trainer.saveCheckpoint();
      onRound(trainer.weights());
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}
