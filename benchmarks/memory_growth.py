#!/usr/bin/env python3
"""Resident memory of long training runs, run as a user runs them.

usage: python benchmarks/memory_growth.py DATA_DIR [--epochs 400]
           [--train-images 8000] [--model mlp] [--save-freq 100 1]
           [--epoch-pictures] [--busy] [--from-epoch 101]
           [--checkout DIR] [--env NAME=VALUE ...]

For each --save-freq (default: the default's 100, and 1), runs `python -m
vae_digits.train` (of the checkout DIR with --checkout, e.g. a `git
archive` of an earlier commit) on the first --train-images images of
DATA_DIR for --epochs epochs, with the pictures a user gets (each save's
vae.epoch.N.png and curves.png; every epoch's latent.gif and
reconstructions with --epoch-pictures), and with --busy beside a second
process that keeps a core busy. It reads the trainer's resident memory
(VmRSS in /proc/PID/status) as each epoch's line appears, and prints
for each run: the memory at --from-epoch and at the end, the
least-squares slope over epochs --from-epoch to the last in MB per
epoch, what a save adds in MB (the memory at the epoch line after a save
less that at the line before it, averaged over the saves from
--from-epoch on but the last, which no line follows), and the memory
every tenth of the run. A flat run's figures are near 0. The default
--from-epoch, 101, leaves out what the first save at the default
--save-freq loads once (the checkpoint writer, matplotlib and its
fonts, PIL: about 10 MB); measure the default --save-freq over 300
epochs or more, so that saves fall inside the line.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from machine import describe  # noqa: E402

BUSY = "while True: sum(i * i for i in range(10000))"


def resident_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.
    return float("nan")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir")
    parser.add_argument("--epochs", type=int, default=400)
    parser.add_argument("--train-images", type=int, default=8000)
    parser.add_argument("--model", default="mlp")
    parser.add_argument("--save-freq", type=int, nargs="+", default=[100, 1])
    parser.add_argument("--epoch-pictures", action="store_true")
    parser.add_argument("--busy", action="store_true",
                        help="beside a second process that keeps a core busy")
    parser.add_argument("--from-epoch", type=int, default=101)
    parser.add_argument("--checkout", default=None)
    parser.add_argument("--env", nargs="*", default=[],
                        help="NAME=VALUE set for the trainer, e.g. "
                             "MALLOC_ARENA_MAX=2")
    return parser.parse_args()


def train(args, save_freq, scratch):
    """({epoch: MB after its line}, [epoch of each save]) of one
    training run."""
    checkout = os.path.abspath(args.checkout) if args.checkout else None
    env = dict(os.environ, **dict(item.split("=", 1) for item in args.env))
    if checkout:
        env["PYTHONPATH"] = checkout
    command = [sys.executable, "-m", "vae_digits.train", "--model",
               args.model, "--epochs", str(args.epochs), "--train-images",
               str(args.train_images), "--save-freq", str(save_freq),
               "--seed", "1", "--data-path", os.path.abspath(args.data_dir),
               "--checkpoint-dir", os.path.join(scratch, f"c{save_freq}"),
               "--result-dir", os.path.join(scratch, f"r{save_freq}")]
    if args.epoch_pictures:
        command.append("--epoch-pictures")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True,
                               cwd=checkout, env=env)
    by_epoch, saved_epochs, epoch = {}, [], 0
    for line in process.stdout:
        if line.startswith("Epoch "):
            epoch = int(line.split()[1])
            by_epoch[epoch] = resident_mb(process.pid)
        elif line.strip() == "Done":
            saved_epochs.append(epoch)
    if process.wait() != 0:
        sys.exit(f"training with --save-freq {save_freq} failed")
    return by_epoch, saved_epochs


def slope(x, y):
    return np.polyfit(x, y, 1)[0] if len(x) > 1 else float("nan")


def report(args, save_freq, by_epoch, saved_epochs):
    epochs = np.array(sorted(e for e in by_epoch if e >= args.from_epoch))
    values = np.array([by_epoch[e] for e in epochs])
    # what each save added: the memory at the line after it less the
    # memory at the line before it (its epoch's), both after a release
    steps = [by_epoch[e + 1] - by_epoch[e] for e in saved_epochs
             if e >= args.from_epoch and e + 1 in by_epoch]
    per_save = np.mean(steps) if steps else float("nan")
    print(f"--save-freq {save_freq}: {values[0]:.1f} MB at epoch "
          f"{epochs[0]}, {values[-1]:.1f} MB at epoch {epochs[-1]} "
          f"(peak {max(by_epoch.values()):.1f}); "
          f"{slope(epochs, values):.4f} MB per epoch over epochs "
          f"{epochs[0]}..{epochs[-1]}; {per_save:.4f} MB per save over "
          f"{len(steps)} saves ({values[-1] - values[0]:+.1f} MB in all)",
          flush=True)
    step = max(1, max(by_epoch) // 10)
    print("  MB by epoch: " + ", ".join(
        f"{e}: {by_epoch[e]:.1f}" for e in sorted(by_epoch)
        if e % step == 0 or e == 1), flush=True)


def main():
    args = parse_args()
    print(f"{describe()}; {args.model}, {args.epochs} epochs of "
          f"{args.train_images} images"
          f"{', epoch pictures' if args.epoch_pictures else ''}"
          f"{', beside a busy process' if args.busy else ''}"
          f"{' ' + ' '.join(args.env) if args.env else ''}", flush=True)
    busy = subprocess.Popen([sys.executable, "-c", BUSY]) if args.busy \
        else None
    try:
        with tempfile.TemporaryDirectory() as scratch:
            for save_freq in args.save_freq:
                report(args, save_freq, *train(args, save_freq, scratch))
    finally:
        if busy is not None:
            busy.kill()
            busy.wait()


if __name__ == "__main__":
    main()
