#!/usr/bin/env python3
"""Training speed of vae_digits against the original's, in one run.

usage: python benchmarks/train_speed.py DATA_DIR [--epochs 3]
           [--baseline ../shared/bench/baseline_vae_tf1.py] [--n-train N]

Trains the baseline script (the blog's VAE as a plain tf.compat.v1 graph,
as fast as the original on ZhuSuan) and then the package's own training
loop on the same data for the same epochs, and prints the seconds per
epoch of each (the mean over the epochs after the first, which pays for
start-up), their ratio and the GFLOP/s the package achieved. DATA_DIR is
an MNIST-layout directory, e.g. /usr/share/datasets/fashion-mnist.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

from vae_digits import config, train

DEFAULT_BASELINE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "shared", "bench",
                                "baseline_vae_tf1.py")
EPOCH_LINE = re.compile(r"^Epoch (\d+) \(([\d.]+)\s?s\)")


def flop_per_epoch(n_steps, batch_size, x_dim=config.X_DIM,
                   z_dim=config.Z_DIM, hidden=config.HIDDEN_UNITS):
    """Matrix-multiply FLOP of one epoch: forward, and backward to weights
    and to inputs (except the data's own gradient)."""
    layers = [(x_dim, hidden), (hidden, hidden), (hidden, z_dim),
              (hidden, z_dim), (z_dim, hidden), (hidden, hidden),
              (hidden, x_dim)]
    multiply_adds = sum(a * b for a, b in layers)
    per_example = 2 * (3 * multiply_adds - x_dim * hidden)
    return per_example * n_steps * batch_size


def baseline_epoch_seconds(baseline, data_dir, epochs, n_train):
    command = [sys.executable, baseline, data_dir, str(epochs)]
    if n_train:
        command.append(str(n_train))
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("baseline failed:\n" + result.stderr[-2000:])
    print(result.stdout, end="")
    return [float(m.group(2)) for m in
            map(EPOCH_LINE.match, result.stdout.splitlines()) if m]


def package_epoch_seconds(data_dir, epochs, n_train):
    with tempfile.TemporaryDirectory() as scratch:
        args = train.parse_args([
            "--data-path", data_dir, "--epochs", str(epochs),
            "--checkpoint-dir", os.path.join(scratch, "checkpoints"),
            "--result-dir", os.path.join(scratch, "results")])
        rng = np.random.RandomState(args.seed)
        x_train, x_test = train.load_training_data(data_dir, rng)
        if n_train:
            x_train = x_train[:n_train]
        history = train.train(args, x_train, x_test, rng)
    return [seconds for _, seconds, _ in history], len(x_train)


def steady(seconds):
    return float(np.mean(seconds[1:] if len(seconds) > 1 else seconds))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", help="MNIST-layout IDX directory")
    parser.add_argument("--epochs", type=int, default=3,
                        help="epochs each (default: 3)")
    parser.add_argument("--baseline", default=DEFAULT_BASELINE,
                        help="baseline script (default: %(default)s)")
    parser.add_argument("--n-train", type=int, default=0,
                        help="train on the first N digits only (0: all)")
    args = parser.parse_args()

    print("== baseline: {}".format(os.path.normpath(args.baseline)))
    baseline = steady(baseline_epoch_seconds(
        args.baseline, args.data_dir, args.epochs, args.n_train))
    print("== vae_digits")
    package_seconds, n_train = package_epoch_seconds(
        args.data_dir, args.epochs, args.n_train)
    package = steady(package_seconds)
    flop = flop_per_epoch(n_train // config.BATCH_SIZE, config.BATCH_SIZE)
    print("== seconds per epoch ({} digits, mean of epochs 2..{})".format(
        n_train, args.epochs))
    print("baseline:   {:.2f} s".format(baseline))
    print("vae_digits: {:.2f} s".format(package))
    print("ratio:      {:.3f} (vae_digits / baseline)".format(
        package / baseline))
    print("GFLOP/s:    {:.1f} (vae_digits, {:.0f} GFLOP per epoch)".format(
        flop / package / 1e9, flop / 1e9))


if __name__ == "__main__":
    main()
