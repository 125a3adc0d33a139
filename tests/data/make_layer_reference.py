#!/usr/bin/python3
"""Reference forward outputs of nn.Conv2d, nn.ConvTranspose2d and nn.LSTM for tst_torchlayers.

    /usr/bin/python3 tests/data/make_layer_reference.py [--out tests/data/layer_reference.json]

Each case draws its weights, biases and a batch of inputs from a seeded generator, runs PyTorch's
layer in float64 (so the reference itself carries no float32 rounding) and records everything.
The shapes are deliberately odd: non-square images, stride 2 on odd sizes, padding 0 and 1,
asymmetric output padding, several LSTM steps.

Layout in the JSON: every tensor is flattened in PyTorch's row-major order (a weight
[C_out, C_in, k, k] as C_out rows of C_in*k*k, an image sample as (c, y, x), a sequence sample as
(t, f)); inputs and outputs are lists with one flat list per sample. Values are written with 17
significant digits. Tested with Debian's python3-torch 1.13.
"""
import argparse
import json
import os

import torch

CONV_CASES = [
    # name, C_in, H, W, C_out, kernel, stride, padding
    ("conv_s2_p1_odd", 2, 7, 6, 3, 3, 2, 1),
    ("conv_s1_p0_wide", 1, 5, 8, 2, 3, 1, 0),
    ("conv_s2_p0_k5", 3, 9, 11, 2, 5, 2, 0),
]
TRANSPOSE_CASES = [
    # name, C_in, H, W, C_out, kernel, stride, padding, output padding (h, w)
    ("transpose_s2_p1_op11", 3, 4, 5, 2, 3, 2, 1, (1, 1)),
    ("transpose_s2_p1_op10", 2, 3, 4, 3, 3, 2, 1, (1, 0)),
    ("transpose_s1_p0", 2, 5, 3, 1, 3, 1, 0, (0, 0)),
]
LSTM_CASES = [
    # name, steps, features, hidden, return sequences
    ("lstm_sequence", 5, 3, 4, True),
    ("lstm_last", 7, 2, 6, False),
]
BATCH = 3


def flat(t):
    return [float(v) for v in t.reshape(-1).tolist()]


def per_sample(t):
    return [flat(t[b]) for b in range(t.shape[0])]


def conv_case(g, name, cin, h, w, cout, k, stride, padding):
    layer = torch.nn.Conv2d(cin, cout, k, stride=stride, padding=padding).double()
    x = torch.randn(BATCH, cin, h, w, generator=g, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.randn(layer.weight.shape, generator=g, dtype=torch.float64) * 0.3)
        layer.bias.copy_(torch.randn(layer.bias.shape, generator=g, dtype=torch.float64) * 0.3)
        y = layer(x)
    return {"name": name, "layer": "conv2d", "in_channels": cin, "height": h, "width": w,
            "out_channels": cout, "kernel": k, "stride": stride, "padding": padding,
            "weight": flat(layer.weight), "bias": flat(layer.bias),
            "input": per_sample(x), "output": per_sample(y), "output_shape": list(y.shape[1:])}


def transpose_case(g, name, cin, h, w, cout, k, stride, padding, output_padding):
    layer = torch.nn.ConvTranspose2d(cin, cout, k, stride=stride, padding=padding,
                                     output_padding=output_padding).double()
    x = torch.randn(BATCH, cin, h, w, generator=g, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.randn(layer.weight.shape, generator=g, dtype=torch.float64) * 0.3)
        layer.bias.copy_(torch.randn(layer.bias.shape, generator=g, dtype=torch.float64) * 0.3)
        y = layer(x)
    return {"name": name, "layer": "convtranspose2d", "in_channels": cin, "height": h, "width": w,
            "out_channels": cout, "kernel": k, "stride": stride, "padding": padding,
            "output_padding": list(output_padding),
            "weight": flat(layer.weight), "bias": flat(layer.bias),
            "input": per_sample(x), "output": per_sample(y), "output_shape": list(y.shape[1:])}


def lstm_case(g, name, steps, features, hidden, sequences):
    layer = torch.nn.LSTM(features, hidden, batch_first=True).double()
    x = torch.randn(BATCH, steps, features, generator=g, dtype=torch.float64)
    with torch.no_grad():
        for p in layer.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64) * 0.5)
        y, (h, _) = layer(x)
    out = y if sequences else h[-1]
    return {"name": name, "layer": "lstm", "steps": steps, "features": features, "hidden": hidden,
            "return_sequences": sequences,
            "weight_ih": flat(layer.weight_ih_l0), "weight_hh": flat(layer.weight_hh_l0),
            "bias_ih": flat(layer.bias_ih_l0), "bias_hh": flat(layer.bias_hh_l0),
            "input": per_sample(x), "output": per_sample(out)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "layer_reference.json"))
    args = ap.parse_args()
    g = torch.Generator().manual_seed(20261126)
    cases = [conv_case(g, *c) for c in CONV_CASES]
    cases += [transpose_case(g, *c) for c in TRANSPOSE_CASES]
    cases += [lstm_case(g, *c) for c in LSTM_CASES]
    doc = {"torch": torch.__version__, "generator": os.path.basename(__file__), "cases": cases}
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases to {args.out}")


if __name__ == "__main__":
    main()
