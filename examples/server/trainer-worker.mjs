// The server's training job in a worker thread (server.mjs --train-in worker): the steps run
// there, so the main thread only parses requests and queues predictions. Messages in:
// { add: { pixels, labels } }, { enabled }, { stop }; out: { ready }, the progress after each
// step, { round } with the weights as torch.save bytes, which the main thread traces for serving.
import { parentPort, workerData } from 'node:worker_threads';
import { Trainer, TrainingSwitch, trainInRounds } from './trainer.mjs';

const trainer = new Trainer({ checkpoint: workerData.checkpoint, seed: workerData.seed });
const control = new TrainingSwitch(workerData.enabled);
const progress = () => ({ steps: trainer.steps, loss: trainer.loss, queued: trainer.queued });

parentPort.on('message', (message) => {
  if (message.add) trainer.add(message.add.pixels, message.add.labels);
  if ('enabled' in message) control.set(message.enabled);
  if (message.stop) control.stop();
});
parentPort.postMessage({ ready: true, weights: trainer.weights(), ...progress() });
await trainInRounds(trainer, control, {
  roundSteps: workerData.roundSteps,
  onStep: () => parentPort.postMessage(progress()),
  onRound: (weights) => parentPort.postMessage({ round: true, weights, ...progress() }),
});
parentPort.close();
