#!/usr/bin/env python3
"""Resident memory of a long training run, epoch by epoch.

usage: python benchmarks/memory_growth.py DATA_DIR [--epochs 400]
           [--train-images 8000] [--model mlp] [--from-epoch 100]
           [--checkout DIR]

Runs `python -m vae_digits.train` (of the checkout DIR with --checkout,
e.g. a `git worktree` of an earlier commit) on the first --train-images
images of DATA_DIR for --epochs epochs, reads the process's resident
memory (VmRSS in /proc/PID/status) as each epoch's line appears, and
prints it at --from-epoch and at the last epoch, and the slope of a
least-squares line through epochs --from-epoch to the last, in MB per
epoch. A flat run's slope is near 0.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np


def resident_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.
    return float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir")
    parser.add_argument("--epochs", type=int, default=400)
    parser.add_argument("--train-images", type=int, default=8000)
    parser.add_argument("--model", default="mlp")
    parser.add_argument("--from-epoch", type=int, default=100)
    parser.add_argument("--checkout", default=None)
    args = parser.parse_args()
    checkout = os.path.abspath(args.checkout) if args.checkout else None
    env = dict(os.environ, PYTHONPATH=checkout) if checkout else None
    with tempfile.TemporaryDirectory() as scratch:
        process = subprocess.Popen(
            [sys.executable, "-m", "vae_digits.train", "--model", args.model,
             "--epochs", str(args.epochs), "--train-images",
             str(args.train_images), "--save-freq", str(args.epochs),
             "--seed", "1", "--data-path", os.path.abspath(args.data_dir),
             "--checkpoint-dir", os.path.join(scratch, "c"),
             "--result-dir", os.path.join(scratch, "r")],
            stdout=subprocess.PIPE, text=True, cwd=checkout, env=env)
        memory = {}
        for line in process.stdout:
            if line.startswith("Epoch "):
                memory[int(line.split()[1])] = resident_mb(process.pid)
        process.wait()
    epochs = np.array(sorted(e for e in memory if e >= args.from_epoch))
    values = np.array([memory[e] for e in epochs])
    slope = np.polyfit(epochs, values, 1)[0]
    print(f"resident memory at epoch {epochs[0]}: {values[0]:.1f} MB; at "
          f"epoch {epochs[-1]}: {values[-1]:.1f} MB")
    print(f"slope over epochs {epochs[0]}..{epochs[-1]}: {slope * 1e3:.2f} "
          f"kB per epoch ({slope * 1000:.1f} MB per 1000 epochs)")
    for e in range(epochs[0], epochs[-1] + 1, 50):
        print(f"  epoch {e}: {memory[e]:.1f} MB")


if __name__ == "__main__":
    main()
