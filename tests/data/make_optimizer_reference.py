#!/usr/bin/python3
"""Reference parameter values for tst_optimizers (ProducesPyTorchValues_*), from torch.optim.

    /usr/bin/python3 tests/data/make_optimizer_reference.py [--out tests/data/optimizer_reference.json]

A tiny deterministic problem: a weight (3x4) and a bias (3) with the initial values below, and a
fixed sequence of 5 gradients written out below (the gradient does not depend on the parameters, so
the C++ test can feed exactly the same numbers). For each optimizer configuration the script sets
p.grad to the step's gradient, calls step(), and records both parameters after every step, plus the
optimizer state after the last step.

Layout in the JSON: every matrix is a row-major nested list, weight[i][j] = row i, column j (the
C++ Matrix element (i, j), whatever its storage order); the bias is a flat list (the C++ 3x1
column). Values are float32 numbers written as the exact decimal of their double, so they parse
back to the same float32.
Tested with Debian's python3-torch 1.13.
"""
import argparse
import json
import os
import re

import torch

INITIAL_WEIGHT = [
    [-1.30, -1.20, -1.28, 0.97],
    [-0.36, -0.97, -1.14, 0.42],
    [-1.05, -1.27, 0.61, -1.20],
]
INITIAL_BIAS = [-0.32, -0.01, -0.45]

# Per step: (weight gradient 3x4, bias gradient 3). Row 1 is small (0.1 scale), row 2 large (3x), to
# exercise Adam's normalisation; one entry is exactly 0 and one is 1e-4 (Adam's epsilon matters).
GRADIENTS = [
    ([[-0.802, -1.324, -0.248, 0.420],
      [0.114, 0.011, -0.055, -0.078],
      [2.246, 4.904, 0.818, -3.700]], [-0.958, 1.600, 0.203]),
    ([[-1.732, -0.084, -1.163, -0.629],
      [-0.049, -0.071, 0.055, 0.0],
      [-1.768, 1.229, 2.490, -4.929]], [-0.257, -0.981, -0.173]),
    ([[-1.289, 0.021, -0.038, -0.304],
      [-0.105, -0.040, -0.109, -0.136],
      [0.674, -3.328, 3.511, 2.150]], [-1.998, 0.272, -1.102]),
    ([[0.033, 0.044, -1.988, -0.233],
      [-0.026, 0.096, -0.118, 0.0001],
      [-3.297, -0.994, -2.521, 4.346]], [0.568, 2.432, 0.642]),
    ([[0.845, 0.841, -0.607, -0.070],
      [0.135, -0.040, 0.019, -0.002],
      [1.828, -1.095, -0.457, 0.727]], [0.103, -0.865, 0.896]),
]

# name, optimizer, options (the C++ OptimizerOptions fields they map to are named in the JSON).
CASES = [
    ("Sgd", "sgd", dict(lr=0.1, momentum=0.9)),
    ("SgdNesterov", "sgd", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("SgdWeightDecay", "sgd", dict(lr=0.1, momentum=0.9, weight_decay=0.01)),
    ("Adam", "adam", dict(lr=1e-2)),
    ("AdamWeightDecay", "adam", dict(lr=1e-2, weight_decay=0.1)),
    ("AdamW", "adamw", dict(lr=1e-2, weight_decay=0.1)),
]


def as_list(t):
    return t.detach().to(torch.float32).tolist()  # float32 -> exact double -> shortest repr


def run(kind, options):
    w = torch.tensor(INITIAL_WEIGHT, dtype=torch.float32, requires_grad=True)
    b = torch.tensor(INITIAL_BIAS, dtype=torch.float32, requires_grad=True)
    params = [w, b]
    # foreach=False: the single-tensor loops (the C++ code follows them); the default on CPU anyway.
    if kind == "sgd":
        opt = torch.optim.SGD(params, foreach=False, **options)
    elif kind == "adam":
        opt = torch.optim.Adam(params, foreach=False, **options)
    else:
        opt = torch.optim.AdamW(params, foreach=False, **options)
    steps = []
    for gw, gb in GRADIENTS:
        w.grad = torch.tensor(gw, dtype=torch.float32)
        b.grad = torch.tensor(gb, dtype=torch.float32)
        opt.step()
        steps.append({"weight": as_list(w), "bias": as_list(b)})
    state = {}
    for index, p in enumerate(params):
        for name, value in opt.state[p].items():
            if name == "step":
                continue
            state[f"{name}.{index}"] = as_list(value)
    return steps, state


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(here, "optimizer_reference.json"))
    args = ap.parse_args()
    torch.set_num_threads(1)

    def f32(x):
        return as_list(torch.tensor(x, dtype=torch.float32))

    cases = []
    for name, kind, options in CASES:
        steps, state = run(kind, options)
        # Every option spelled out (torch's defaults filled in) so the C++ test sets them all.
        if kind == "sgd":
            full = {"lr": options["lr"], "momentum": options.get("momentum", 0.0),
                    "nesterov": options.get("nesterov", False),
                    "weight_decay": options.get("weight_decay", 0.0)}
        else:
            full = {"lr": options["lr"], "betas": [0.9, 0.999], "eps": 1e-8,
                    "weight_decay": options.get("weight_decay", 1e-2 if kind == "adamw" else 0.0)}
        cases.append({"name": name, "optimizer": kind, "options": full, "steps": steps,
                      "state_after_last_step": state})
    out = {
        "generator": "tests/data/make_optimizer_reference.py",
        "torch_version": torch.__version__,
        "layout": "matrices are row-major nested lists: weight[i][j] is row i, column j "
                  "(C++ Matrix(i, j)); bias is a flat list (C++ 3x1 column); float32 values",
        "parameters": [
            {"name": "weight", "shape": [3, 4], "initial": f32(INITIAL_WEIGHT)},
            {"name": "bias", "shape": [3], "initial": f32(INITIAL_BIAS)},
        ],
        "gradients": [{"weight": f32(gw), "bias": f32(gb)} for gw, gb in GRADIENTS],
        "cases": cases,
    }
    text = json.dumps(out, indent=1)
    # One line per innermost list of numbers (a matrix row, a bias): small, readable diffs.
    text = re.sub(r"\[\s*([-+0-9.eE,\s]+?)\s*\]",
                  lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text)
    with open(args.out, "w") as f:
        f.write(text + "\n")
    print(f"wrote {args.out}: {len(cases)} cases x {len(GRADIENTS)} steps (torch {torch.__version__})")


if __name__ == "__main__":
    main()
