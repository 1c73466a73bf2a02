"""Workloads in PyTorch: transfer, training steps, CNN inference, the same models as
bench/cpp/workloads.cc and bench/workloads.mjs, written as a PyTorch user writes them.

  python bench/workloads.py             reads commands from stdin, one per line, answers one JSON line:
    info                           {"impl":"python","torch":...,"defaultThreads":N}
    <workload> <threads> <iters>   {"ns": wall ns per iteration, "cpu": process CPU ns per iteration}
                                   (threads 0 = the default)
    quit
"""
import json
import sys
import time

import numpy as np
import torch
from torch import nn, optim
import torch.nn.functional as F

TRANSFER_FLOATS = 25_000_000  # 100 MB of float32


def mlp():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))


def cnn():
    return nn.Sequential(nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(32 * 15 * 15, 64), nn.ReLU(), nn.Linear(64, 10))


class LstmNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(1, 50, batch_first=True)
        self.head = nn.Linear(50, 1)

    def forward(self, x):
        out, _ = self.lstm(x)  # [batch, time, hidden]
        return self.head(out[:, -1, :])  # the last step


def training_step(model, opt, loss_fn, x, y):
    """One step as a PyTorch loop writes it: zero the grads, loss, backward, update."""
    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    return step


def make_mlp_sgd():
    model = mlp()
    opt = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    return training_step(model, opt, F.cross_entropy, torch.randn(64, 784), torch.randint(0, 10, (64,)))


def make_cnn_adam():
    model = cnn()
    opt = optim.Adam(model.parameters(), lr=1e-3)
    return training_step(model, opt, F.cross_entropy, torch.randn(32, 3, 32, 32), torch.randint(0, 10, (32,)))


def make_lstm_adam():
    model = LstmNet()
    opt = optim.Adam(model.parameters(), lr=1e-3)
    return training_step(model, opt, F.mse_loss, torch.randn(32, 10, 1), torch.randn(32, 1))


def make_gan():
    G = nn.Sequential(nn.Linear(100, 256), nn.LeakyReLU(0.2), nn.Linear(256, 784), nn.Tanh())
    D = nn.Sequential(nn.Linear(784, 256), nn.LeakyReLU(0.2), nn.Linear(256, 1), nn.Sigmoid())
    opt_g = optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCELoss()
    images = torch.rand(64, 784) * 2 - 1
    real, fake = torch.ones(64, 1), torch.zeros(64, 1)

    def step():
        generated = G(torch.randn(64, 100))
        opt_d.zero_grad()
        loss_d = bce(D(images), real) + bce(D(generated.detach()), fake)
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        loss_g = bce(D(generated), real)
        loss_g.backward()
        opt_g.step()
    return step


def make_cnn_infer(batch):
    model = cnn().eval()
    x = torch.randn(batch, 3, 32, 32)

    def step():
        with torch.inference_mode():
            model(x)
    return step


_source = None


def source():
    global _source
    if _source is None:
        _source = (np.arange(TRANSFER_FLOATS, dtype=np.float32) % 1000) * np.float32(0.001)
    return _source


def make_transfer_copy():
    src = source()

    def step():
        t = torch.tensor(src)       # a copy into a tensor
        out = t.numpy().copy()      # a copy back into a new array
        return out[-1]
    return step


def make_transfer_zerocopy():
    src = source()

    def step():
        t = torch.from_numpy(src)   # shares the array's memory
        view = t.numpy()            # shares the tensor's memory
        return view[-1]
    return step


FACTORIES = {
    'transfer-copy': make_transfer_copy,
    'transfer-zerocopy': make_transfer_zerocopy,
    'mlp-sgd': make_mlp_sgd,
    'cnn-adam': make_cnn_adam,
    'lstm-adam': make_lstm_adam,
    'gan': make_gan,
    'infer-cnn-b1': lambda: make_cnn_infer(1),
    'infer-cnn-b256': lambda: make_cnn_infer(256),
}


def main():
    default_threads = torch.get_num_threads()
    torch.manual_seed(0)
    steps = {}
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        name = parts[0]
        if name == 'quit':
            break
        if name == 'info':
            reply = {'impl': 'python', 'torch': torch.__version__, 'python': sys.version.split()[0],
                     'numpy': np.__version__, 'defaultThreads': default_threads}
        elif name not in FACTORIES:
            reply = {'error': f'unknown workload {name}'}
        else:
            threads, iters = int(parts[1]), int(parts[2])
            torch.set_num_threads(threads if threads > 0 else default_threads)
            if name not in steps:
                steps[name] = FACTORIES[name]()
            step = steps[name]
            n = max(iters, 1)
            cpu0, t0 = time.process_time_ns(), time.perf_counter_ns()
            for _ in range(iters):
                step()
            ns = (time.perf_counter_ns() - t0) / n
            reply = {'ns': ns, 'cpu': (time.process_time_ns() - cpu0) / n, 'threads': torch.get_num_threads()}
        print(json.dumps(reply), flush=True)


if __name__ == '__main__':
    main()
