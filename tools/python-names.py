#!/usr/bin/env python3
# Reference name lists from the real PyTorch, for torch-node's coverage script.
# Prints JSON: the torch version and, per namespace (torch, torch.Tensor,
# torch.nn.functional, torch.linalg, torch.special, torch.fft), the sorted public
# (not starting with '_') names in dir() whose attribute is callable. The
# coverage script compares torch-node's exported names with these.
# Run with the PyTorch venv (outside the repo), e.g.:
#   /work/pyvenv/bin/python tools/python-names.py > tools/python-names.json
import json
import sys

import torch
import torch.nn.functional

NAMESPACES = {
    "torch": torch,
    "Tensor": torch.Tensor,
    "nn.functional": torch.nn.functional,
    "linalg": torch.linalg,
    "special": torch.special,
    "fft": torch.fft,
}


def public_callables(obj):
    names = []
    for name in dir(obj):
        if name.startswith("_"):
            continue
        try:
            value = getattr(obj, name)
        except Exception:
            continue
        if callable(value):
            names.append(name)
    return sorted(names)


def main():
    out = {"version": torch.__version__}
    for key, obj in NAMESPACES.items():
        out[key] = public_callables(obj)
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
