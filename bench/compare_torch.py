#!/usr/bin/python3
"""LatentLab vs the PyTorch reference (../shared/bench/torch_ref.py), in one run on the same data.

    python3 bench/compare_torch.py [--build build] [--data data/mnist10k] [--models ae,ae2,vae20]
                                   [--epochs 5] [--repeats 3]

Each repeat runs LatentLab's bench_train and then torch_ref.py's per-model children back to back
(repeat r uses seed r on both sides), so both see the same machine state; the ratio is taken pair
by pair and its median printed. Both train
8000 MNIST digits with batch 128 and Adam lr 1e-3; samples/s is the median over epochs 2..E.
Test MSE is after E epochs. %peak uses the fp32 FMA peak bench_train measures (both threads busy);
bf16 rows (bfloat16 products, float32 accumulation) can exceed it: AVX512-BF16 does twice the work.
PyTorch always runs float32.
Needs Debian's python3-torch and libopenblas0-openmp (the reference's BLAS).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run_ours(args, seed, precision):
    cmd = [os.path.join(args.build, "bin", "bench_train"), "--data", args.data, "--models", args.models,
           "--epochs", str(args.epochs), "--threads", "2", "--seed", str(seed), "--precision", precision]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        return None, done.stderr.strip()
    out = done.stdout
    header = out.splitlines()[0]
    return header, {r["model"]: r for r in (json.loads(l[7:]) for l in out.splitlines() if l.startswith("RESULT "))}


def torch_child(args, model, seed):
    """One torch_ref.py child (its --child mode), in the environment its parent gives children."""
    ref = os.path.join(ROOT, "..", "shared", "bench", "torch_ref.py")
    env = dict(os.environ, OMP_NUM_THREADS="2", OPENBLAS_NUM_THREADS="2", BENCH_NO_REEXEC="1")
    env.pop("OPENBLAS_CORETYPE", None)
    blas = "/usr/lib/x86_64-linux-gnu/openblas-openmp"
    env["LD_LIBRARY_PATH"] = blas + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    cmd = ["/usr/bin/python3", ref, "--data", args.data, "--child", model, "--seed", str(seed),
           "--epochs", str(args.epochs), "--batch", "128"]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads([l for l in out.splitlines() if l.startswith("RESULT ")][-1][7:])


def run_torch(args, seed):
    base = torch_child(args, "base", seed)
    out = {}
    for m in args.models.split(","):
        r = torch_child(args, m, seed)
        epochs = r["epoch_s"][1:] or r["epoch_s"]
        out[m] = {"sps": statistics.median(8000 / t for t in epochs),
                  "mse": r["evals"][str(args.epochs)]["mse"], "rss_mib": r["rss_mib"]}
    return base["torch"], base["gemm_gflops"], out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--data", default=os.path.join(ROOT, "data", "mnist10k"))
    ap.add_argument("--models", default="ae,ae2,vae20")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--precisions", default="fp32,bf16", help="LatentLab's training precisions to run")
    args = ap.parse_args()
    precisions = args.precisions.split(",")
    ours, theirs = {p: [] for p in precisions}, []
    for r in range(args.repeats):
        for p in list(precisions):
            header_or_none, o = run_ours(args, r, p)
            if header_or_none is None:  # e.g. bf16 on a CPU without AVX512-BF16: say so, go on
                print(f"LatentLab {p} skipped: {o}", flush=True)
                precisions.remove(p)
                del ours[p]
                continue
            header = header_or_none
            ours[p].append(o)
        version, torch_peak, t = run_torch(args, r)
        theirs.append(t)
        print(f"repeat {r + 1}/{args.repeats}: " + "  ".join(
            f"{m} {'/'.join(str(round(ours[p][-1][m]['sps'])) for p in precisions)} vs {t[m]['sps']:.0f}"
            for m in args.models.split(",")), flush=True)
    print(header)
    print(f"PyTorch {version} (OpenBLAS, 2 threads); torch.mm 2048² {torch_peak:.1f} GFLOP/s")
    print(f"{args.repeats} repeats x {args.epochs} epochs, batch 128, Adam, 8000 train / 2000 test\n")
    print(f"{'model':14s} {'LatentLab sps':>14s} {'PyTorch sps':>12s} {'ratio':>6s} {'[min..max]':>13s} "
          f"{'mse LL':>8s} {'mse PT':>8s} {'GFLOP/s':>8s} {'%FMApeak':>8s} {'RSS LL':>7s} {'RSS PT':>7s}")
    for m, p in [(m, p) for m in args.models.split(",") for p in precisions]:
        mine = ours[p]
        ratios = [o[m]["sps"] / t[m]["sps"] for o, t in zip(mine, theirs)]
        med = lambda key, rows: statistics.median(r[m][key] for r in rows)  # noqa: E731
        print(f"{m + ' ' + p:14s} {med('sps', mine):14.0f} {med('sps', theirs):12.0f} {statistics.median(ratios):6.2f} "
              f"[{min(ratios):.2f}..{max(ratios):.2f}] {med('mse', mine):8.5f} {med('mse', theirs):8.5f} "
              f"{med('gflops', mine):8.1f} {100 * med('gflops', mine) / med('peak', mine):7.1f}% "
              f"{med('rss_mib', mine):6.0f}M {med('rss_mib', theirs):6.0f}M")
    print_mse_per_seed(args, ours, theirs, precisions)


def print_mse_per_seed(args, ours, theirs, precisions):
    """Test MSE seed by seed: one seed's difference says little at small code sizes, the paired
    mean difference over the repeats (with its standard error) says whether one side is better."""
    print(f"\ntest MSE per seed (seeds 0..{args.repeats - 1}), paired difference LatentLab - PyTorch")
    for m, p in [(m, p) for m in args.models.split(",") for p in precisions]:
        mine = [o[m]["mse"] for o in ours[p]]
        ref = [t[m]["mse"] for t in theirs]
        diffs = [a - b for a, b in zip(mine, ref)]
        spread = statistics.stdev(diffs) / len(diffs) ** 0.5 if len(diffs) > 1 else float("nan")
        print(f"{m + ' ' + p:14s} LL " + " ".join(f"{v:.5f}" for v in mine) + f"  mean {statistics.mean(mine):.5f}")
        print(f"{'':14s} PT " + " ".join(f"{v:.5f}" for v in ref) + f"  mean {statistics.mean(ref):.5f}")
        print(f"{'':14s} difference {statistics.mean(diffs):+.5f} ± {spread:.5f} (standard error), "
              f"LatentLab lower in {sum(d < 0 for d in diffs)} of {len(diffs)}")


if __name__ == "__main__":
    sys.exit(main())
