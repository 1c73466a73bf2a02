// Next-value prediction with an LSTM, as a PyTorch user writes it: an nn.Module holding
// nn.LSTM(1, 50) and nn.Linear(50, 1), windows of 10 past values, MSELoss, Adam, a DataLoader.
// Two series: (a) a noisy sine; (b) a monthly "airline passengers"-like series (trend times a
// yearly season, plus noise; generated, 12 years), scaled with a min-max scaler fitted on the
// training months. Each ends with the test MSE and a PNG of prediction against truth.
// Run: node examples/lstm.mjs [--quick] [--out examples/output] [--logdir runs]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from 'torch-node';
import { lineChart } from './support/charts.mjs';
import { progress } from './support/progress.mjs';
import { summaryWriter } from './support/tensorboard.mjs';

const { nn, optim } = torch;
const { DataLoader, TensorDataset } = torch.utils.data;
const quick = process.argv.includes('--quick');
const outIndex = process.argv.indexOf('--out');
const outDir = outIndex > 0 ? process.argv[outIndex + 1] : fileURLToPath(new URL('output/', import.meta.url));
const device = torch.cuda.isAvailable() ? 'cuda' : 'cpu';
const WINDOW = 10;
torch.manualSeed(0);
// Batches of 32 sequences gain nothing from intra-op threads, and on a busy machine they only contend.
torch.setNumThreads(1);
const writer = summaryWriter('lstm');

class SequencePredictor extends nn.Module {
  lstm = new nn.LSTM(1, 50, { batchFirst: true });
  head = new nn.Linear(50, 1);

  forward(x) {
    const [output] = this.lstm.forward(x); // [batch, time, hidden]
    return this.head.forward(output.get(':, -1, :')); // the last step's state predicts the next value
  }
}

/** Sliding windows: inputs [n, WINDOW, 1] and the value after each window as target [n, 1]. */
function windows(series) {
  const frames = series.unfold(0, WINDOW + 1, 1);
  return [frames.get(`:, :${WINDOW}`).unsqueeze(-1), frames.get(`:, ${WINDOW}:`)];
}

/** Trains on the first trainFraction of the windows, tests on the rest; returns test MSEs and predictions. */
function fit(name, series, { epochs, lr, batchSize, trainFraction }) {
  const [inputs, targets] = windows(series);
  const nTrain = Math.round(inputs.size(0) * trainFraction);
  const train = new TensorDataset(inputs.get(`:${nTrain}`), targets.get(`:${nTrain}`));
  const loader = new DataLoader(train, { batchSize, shuffle: true });
  const [testX, testY] = [inputs.get(`${nTrain}:`).to(device), targets.get(`${nTrain}:`).to(device)];

  const model = new SequencePredictor().to(device);
  const criterion = new nn.MSELoss();
  const optimizer = new optim.Adam(model.parameters(), { lr });
  const bar = progress(epochs, name);
  for (let epoch = 0; epoch < epochs; epoch++) {
    model.train();
    let total = 0;
    let count = 0;
    for (const [x, y] of loader) {
      optimizer.zeroGrad();
      const loss = criterion.forward(model.forward(x.to(device)), y.to(device));
      loss.backward();
      optimizer.step();
      total += loss.item() * x.size(0);
      count += x.size(0);
    }
    bar.tick({ loss: total / count });
    writer.addScalar(`${name}/loss/train`, total / count, epoch);
  }
  bar.stop();

  model.eval();
  const predicted = torch.noGrad(() => model.forward(testX));
  const testMse = criterion.forward(predicted, testY).item();
  writer.addScalar(`${name}/mse/test`, testMse, epochs);
  // The baseline to beat: repeating the last value seen.
  const persistenceMse = criterion.forward(testX.get(':, -1, :'), testY).item();
  return { testMse, persistenceMse, predicted: predicted.cpu().flatten(), firstTestStep: nTrain + WINDOW };
}

/** x/y points for the chart, starting at time step `start`. */
const pointsFrom = (values, start) => values.tolist().map((y, i) => ({ x: start + i, y }));

// ---- (a) noisy sine ---------------------------------------------------------------------
{
  const steps = quick ? 300 : 2000;
  const t = torch.arange(steps, { dtype: torch.float32 });
  const series = t.mul(0.1).sin().add(torch.randn(steps).mul(0.1));
  const r = fit('sine', series, { epochs: quick ? 8 : 100, lr: 0.01, batchSize: 32, trainFraction: 0.8 });
  console.log(`sine: test MSE ${r.testMse.toFixed(5)} (repeating the last value: ${r.persistenceMse.toFixed(5)}; the noise alone: 0.01)`);
  const file = await lineChart(path.join(outDir, 'lstm-sine.png'), {
    title: 'LSTM on a noisy sine: next-value prediction on the test steps',
    xLabel: 'time step',
    yLabel: 'value',
    series: [
      { name: 'truth', values: pointsFrom(series.get(`${r.firstTestStep - 100}:`), r.firstTestStep - 100) },
      { name: 'prediction', values: pointsFrom(r.predicted, r.firstTestStep) },
    ],
  });
  console.log(`sine: chart ${file}`);
}

// ---- (b) monthly passengers: trend x season + noise -----------------------------------------
{
  const months = 144;
  const t = torch.arange(months, { dtype: torch.float32 });
  const trend = t.mul(2.4).add(110);
  const season = t.sub(3).mul((2 * Math.PI) / 12).sin().mul(0.22).add(1); // month 0 is January: peaks in July
  const passengers = trend.mul(season).add(torch.randn(months).mul(8));
  // MinMaxScaler fitted on the training months only, as one must not peek at the test period.
  const trainMonths = Math.round((months - WINDOW) * 0.75) + WINDOW;
  const [low, high] = [passengers.get(`:${trainMonths}`).min(), passengers.get(`:${trainMonths}`).max()];
  const scaled = passengers.sub(low).div(high.sub(low));
  const r = fit('passengers', scaled, { epochs: quick ? 40 : 100, lr: 0.01, batchSize: 16, trainFraction: 0.75 });
  const rmse = Math.sqrt(r.testMse) * high.sub(low).item();
  console.log(`passengers: test MSE ${r.testMse.toFixed(5)} (scaled; repeating the last value: ${r.persistenceMse.toFixed(5)}), RMSE ${rmse.toFixed(1)} thousand passengers`);
  const unscale = (v) => v.mul(high.sub(low)).add(low);
  const file = await lineChart(path.join(outDir, 'lstm-passengers.png'), {
    title: 'LSTM on monthly passengers: prediction on the test months',
    xLabel: 'month',
    yLabel: 'passengers (thousands)',
    series: [
      { name: 'truth', values: pointsFrom(passengers, 0) },
      { name: 'prediction', values: pointsFrom(unscale(r.predicted), r.firstTestStep) },
    ],
  });
  console.log(`passengers: chart ${file}`);
}
writer.close();
