// The model the server trains and serves: the seed's CNN, Conv2d(1, 32, 3) + ReLU ->
// MaxPool2d(2) -> Flatten -> Linear(5408, 64) + ReLU -> Linear(64, 10), taking pixels in
// [0, 1] (it applies MNIST's normalization itself, so clients send plain pixels).
import * as torch from 'torch-node';

const { nn } = torch;
const [MEAN, STD] = [0.1307, 0.3081]; // of MNIST's training pixels

export class Net extends nn.Module {
  conv = new nn.Conv2d(1, 32, 3);
  pool = new nn.MaxPool2d(2);
  flatten = new nn.Flatten();
  fc1 = new nn.Linear(32 * 13 * 13, 64);
  fc2 = new nn.Linear(64, 10);

  forward(x) {
    const relu = nn.functional.relu;
    x = this.pool.forward(relu(this.conv.forward(x.sub(MEAN).div(STD))));
    return this.fc2.forward(relu(this.fc1.forward(this.flatten.forward(x))));
  }
}

/** What the server runs for a prediction: the class probabilities. */
class Classifier extends nn.Module {
  constructor(net) {
    super();
    this.net = net;
  }

  forward(x) {
    return nn.functional.softmax(this.net.forward(x), 1);
  }
}

/**
 * A traced copy of the weights in `stateDict`, for serving: a snapshot (the trace shares the
 * tensors of the module it traces, and this module is new), whose forwardAsync runs on
 * libuv's threads while training goes on elsewhere.
 */
export function servingModel(stateDict) {
  const net = new Net();
  net.loadStateDict(stateDict);
  return torch.noGrad(() => torch.jit.trace(new Classifier(net).eval(), torch.zeros(1, 1, 28, 28)));
}
