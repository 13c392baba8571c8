#!/usr/bin/env python3
"""Training speed of vae_digits against the original's, in one run.

usage: python benchmarks/train_speed.py DATA_DIR [--epochs 3] [--rounds 1]
           [--floor] [--before CHECKOUT]
           [--baseline ../shared/bench/baseline_vae_tf1.py]
           [--model mlp|conv|iwae] [--particles 50] [--peer jax]

Trains the baseline script (the blog's VAE as a plain tf.compat.v1 graph,
as fast as the original on ZhuSuan) and the package's `python -m
vae_digits.train` on the same data for the same epochs, in the order
baseline, package, package, baseline (--rounds times) so that a drift in
the machine's speed falls on both alike. Prints the seconds per epoch of
each, their ratio and the GFLOP/s the package achieved. Seconds per epoch
are the median over the epochs after each run's first, which pays for
start-up: the median, because shared machines have stretches of minutes
when everything runs up to 50% slower. With --floor, step_floor.py (the
step's matrix products and Adam alone) runs as a third, in the order
baseline, package, floor, floor, package, baseline. DATA_DIR is an
MNIST-layout directory, e.g. /usr/share/datasets/fashion-mnist.

With --before CHECKOUT (a checkout of an earlier commit, e.g. made with
`git worktree add /tmp/before COMMIT`) the package of that checkout runs
too, as `before`, in the order baseline, package, before, before,
package, baseline: a change's speed, before and after, beside the
yardstick in one run.

With --peer jax, peers/jax_vae.py (the same model in JAX, its whole
step under jax.jit) runs too, as `jax`, in the same interleaved order;
the figures then include each program's minimum, and the check that the
lower bounds of their last epochs agree within 1.5 nats (the same model
and data, other random draws).

With --model conv it times the conv model of the latent-space post
instead, beside keras_conv_vae.py (the same network and loss as a user of
Keras 3's VAE example writes it, trained with model.fit) in the same
order. With --model iwae it times the iwae model at --particles K (50)
beside the blog's model, both the package's, in the same order: what K
samples of z per digit cost.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

from vae_digits import data
from vae_digits.core import config

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BASELINE = os.path.join(HERE, "..", "..", "shared", "bench",
                                "baseline_vae_tf1.py")
# "Epoch N (T s)", then (but for step_floor.py) ": Lower bound = LB"
EPOCH_LINE = re.compile(r"^Epoch (\d+) \(([\d.]+)\s?s\)"
                        r"(?:: (?:Lower bound|Loss) = (-?[\d.e+-]+))?")
BOUNDS_AGREE = 1.5  # nats: the last epochs' lower bounds of the programs


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


def epoch_seconds(command, checkout=None, bounds=None):
    """Run a training command (with the package of `checkout` where one is
    given); the seconds of its epochs after the first. The lower bound of
    its last epoch is appended to `bounds`, where one is given."""
    env = None if checkout is None else dict(os.environ,
                                             PYTHONPATH=checkout)
    result = subprocess.run(command, capture_output=True, text=True,
                            env=env, cwd=checkout)
    if result.returncode != 0:
        sys.exit(f"{command[1]} failed:\n{result.stderr[-2000:]}")
    print(result.stdout, end="", flush=True)
    epochs = [m for m in map(EPOCH_LINE.match, result.stdout.splitlines())
              if m]
    seconds = [float(m.group(2)) for m in epochs]
    if bounds is not None and epochs and epochs[-1].group(3):
        bounds.append(float(epochs[-1].group(3)))
    return seconds[1:] if len(seconds) > 1 else seconds


def baseline_command(baseline, data_dir, epochs):
    return [sys.executable, baseline, data_dir, str(epochs)]


def floor_command(data_dir, epochs):
    return [sys.executable, os.path.join(HERE, "step_floor.py"), data_dir,
            "--epochs", str(epochs)]


def jax_command(data_dir, epochs):
    return [sys.executable, os.path.join(HERE, "peers", "jax_vae.py"),
            data_dir, str(epochs)]


def keras_command(data_dir, epochs):
    return [sys.executable, os.path.join(HERE, "keras_conv_vae.py"),
            data_dir, "--epochs", str(epochs)]


def package_command(data_dir, epochs, scratch, model="mlp", *options):
    return [sys.executable, "-m", "vae_digits.train", "--model", model,
            "--data-path", data_dir, "--epochs", str(epochs),
            "--save-freq", str(epochs),
            "--checkpoint-dir", os.path.join(scratch, "checkpoints"),
            "--result-dir", os.path.join(scratch, "results"), *options]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     allow_abbrev=False)
    parser.add_argument("data_dir", help="MNIST-layout IDX directory")
    parser.add_argument("--epochs", type=int, default=3,
                        help="epochs each (default: 3)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat the baseline, package, package, "
                             "baseline order this many times (default: 1)")
    parser.add_argument("--floor", action="store_true",
                        help="also time step_floor.py, the least a "
                             "TensorFlow step of this model can take")
    parser.add_argument("--before", default=None,
                        help="a checkout of an earlier commit whose package "
                             "runs too, as `before`")
    parser.add_argument("--baseline", default=DEFAULT_BASELINE,
                        help="baseline script (default: %(default)s)")
    parser.add_argument("--model", choices=("mlp", "conv", "iwae"),
                        default="mlp",
                        help="mlp: the blog's model against the baseline; "
                             "conv: the conv model against Keras; iwae: the "
                             "iwae model against the blog's (default: mlp)")
    parser.add_argument("--particles", type=int, default=50,
                        help="--model iwae: its K (default: 50)")
    parser.add_argument("--peer", choices=("jax",), default=None,
                        help="also time the blog's model in this framework")
    args = parser.parse_args()
    if args.model == "conv":
        return compare_pair(args, "keras model.fit", lambda scratch:
                            keras_command(args.data_dir, args.epochs),
                            "vae_digits conv", lambda scratch:
                            package_command(args.data_dir, args.epochs,
                                            scratch, "conv"))
    if args.model == "iwae":
        return compare_pair(args, "vae_digits mlp", lambda scratch:
                            package_command(args.data_dir, args.epochs,
                                            scratch),
                            f"vae_digits iwae, K = {args.particles}",
                            lambda scratch: package_command(
                                args.data_dir, args.epochs, scratch, "iwae",
                                "--particles", str(args.particles)))

    names = (("baseline", "vae_digits") + (("floor",) if args.floor else ())
             + (("before",) if args.before else ())
             + ((args.peer,) if args.peer else ()))
    runs = {name: [] for name in names}
    bounds = {name: [] for name in names}
    for name in (names + names[::-1]) * args.rounds:
        print(f"== {name}", flush=True)
        with tempfile.TemporaryDirectory() as scratch:
            if name == "baseline":
                command = baseline_command(args.baseline, args.data_dir,
                                           args.epochs)
            elif name == "floor":
                command = floor_command(args.data_dir, args.epochs)
            elif name == "jax":
                command = jax_command(args.data_dir, args.epochs)
            else:
                command = package_command(args.data_dir, args.epochs,
                                          scratch)
            runs[name] += epoch_seconds(
                command, os.path.abspath(args.before) if name == "before"
                else None, bounds[name])
    baseline = float(np.median(runs["baseline"]))
    package = float(np.median(runs["vae_digits"]))
    n_train = len(data.load_training_data(
        args.data_dir, np.random.RandomState(0))[0])
    flop = flop_per_epoch(n_train // config.BATCH_SIZE, config.BATCH_SIZE)
    print(f"== seconds per epoch ({n_train} digits, median of epochs "
          f"2..{args.epochs} of {2 * args.rounds} runs each)")
    print(f"baseline:   {baseline:.2f} s")
    print(f"vae_digits: {package:.2f} s")
    print(f"ratio:      {package / baseline:.3f} (vae_digits / baseline)")
    print(f"GFLOP/s:    {flop / package / 1e9:.1f} (vae_digits, "
          f"{flop / 1e9:.0f} GFLOP per epoch)")
    if args.floor:
        floor = float(np.median(runs["floor"]))
        print(f"floor:      {floor:.2f} s, ratio {floor / baseline:.3f} "
              "(matrix products, biases and Adam alone)")
    if args.before:
        before = float(np.median(runs["before"]))
        print(f"before:     {before:.2f} s, ratio {before / baseline:.3f} "
              f"(the package of {args.before})")
    if args.peer:
        report_peer(args, runs, bounds, package)


def report_peer(args, runs, bounds, package):
    """Each program's median and minimum and its ratio to the package's
    median; whether their last lower bounds agree."""
    print(f"== {args.peer} beside the package: seconds per epoch")
    for name, seconds in runs.items():
        median = float(np.median(seconds))
        print(f"{name + ':':<12} median {median:.2f} s, minimum "
              f"{min(seconds):.2f} s, {median / package:.3f} of the "
              "package's median")
    finals = {name: float(np.mean(values)) for name, values in bounds.items()
              if values and name != "floor"}
    spread = max(finals.values()) - min(finals.values())
    print(f"lower bound after {args.epochs} epochs: " + ", ".join(
        f"{name} {value:.2f}" for name, value in finals.items())
        + f"; they agree within {BOUNDS_AGREE} nats: "
        + ("yes" if spread <= BOUNDS_AGREE else f"NO (spread {spread:.2f})"))


def compare_pair(args, first, first_command, second, second_command):
    """Seconds per epoch of two trainings, run first, second, second,
    first (--rounds times); `*_command(scratch)` gives each command."""
    runs = {first: [], second: []}
    commands = {first: first_command, second: second_command}
    for name in (first, second, second, first) * args.rounds:
        print(f"== {name}", flush=True)
        with tempfile.TemporaryDirectory() as scratch:
            runs[name] += epoch_seconds(commands[name](scratch))
    medians = {name: float(np.median(runs[name])) for name in runs}
    width = max(map(len, runs)) + 1
    print(f"== seconds per epoch (median of epochs 2..{args.epochs} of "
          f"{2 * args.rounds} runs each)")
    for name, median in medians.items():
        print(f"{name + ':':<{width}} {median:.2f} s")
    print(f"{'ratio:':<{width}} {medians[second] / medians[first]:.3f} "
          f"({second} / {first})")


if __name__ == "__main__":
    main()
