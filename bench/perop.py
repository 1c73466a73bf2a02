"""Per-op overhead, PyTorch in Python: the same workloads as bench/cpp/perop.cc and
bench/perop.mjs, one intra-op thread. Prints one JSON line:
  {"impl": "python", ..., "results": {"add1": ns, ...}}
Usage: python bench/perop.py [scale]   (scale multiplies the iteration counts)
"""
import gc
import json
import os
import sys
import time

import torch

RUNS = 5


CPU_NS = {}  # workload -> process CPU ns per iteration (less sensitive to other load)


def bench(n, body, name):
    """Mean over RUNS timed runs of `body(n)` (which loops n times), ns per iteration.
    The mean, not the best run: in torch-node freeing happens in GC pauses that land in
    some runs and not others, and a best-of would hide them."""
    body(max(n // 10, 1000))  # warm-up
    total = 0
    cpu0 = time.process_time_ns()
    for _ in range(RUNS):
        t0 = time.perf_counter_ns()
        body(n)
        total += time.perf_counter_ns() - t0
    CPU_NS[name] = (time.process_time_ns() - cpu0) / (RUNS * n)
    return total / (RUNS * n)


def main():
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else float(os.environ.get("BENCH_SCALE", "1"))
    if not scale > 0:
        scale = 1.0

    def N(base):
        return max(int(base * scale), 10)

    torch.set_num_threads(1)

    a = torch.ones(1)
    b = torch.ones(1)
    xs = [0.5 * (i + 1) for i in range(16)]

    # Each loop is its own function so that a, b, xs are fast locals.
    def add1(n, a=a, b=b):
        for _ in range(n):
            c = a + b  # noqa: F841  (dropped; refcount frees it on the next iteration)

    def chain4(n, a=a, b=b):
        for _ in range(n):
            c = ((a + b) * b).relu().sum()  # noqa: F841

    def from_array(n, xs=xs, tensor=torch.tensor):
        for _ in range(n):
            t = tensor(xs)  # noqa: F841

    def item(n, a=a):
        acc = 0.0
        for _ in range(n):
            acc += a.item()
        return acc

    results = {
        "add1": bench(N(200000), add1, "add1"),
        "chain4": bench(N(100000), chain4, "chain4"),
        "fromArray": bench(N(200000), from_array, "fromArray"),
        "item": bench(N(200000), item, "item"),
    }
    assert torch.tensor(xs).dtype == torch.float32
    print(json.dumps({
        "impl": "python",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "python": sys.version.split()[0],
        "results": {k: round(v, 1) for k, v in results.items()},
        "cpu": {k: round(v, 1) for k, v in CPU_NS.items()},
    }))


if __name__ == "__main__":
    main()
