#!/usr/bin/env python3
"""What annealed importance sampling costs, and where its time goes.

usage: python benchmarks/ais_speed.py CHECKPOINT_DIR DATA_DIR
           [--images 512] [--temperatures 100] [--chains 16]
           [--leapfrogs 10] [--traced 5]

Loads a trained model (vae_digits.load), runs AIS (as `vae.ais`) on
the first --images test images of DATA_DIR with --temperatures temperatures, and
prints the seconds per 1,000 images at 1,000 temperatures that this
implies (each temperature is one run of the same graph, so time grows in
proportion to both; 512 images of 16 chains are one batch of
AIS_ROWS_PER_RUN). Then it traces --traced runs of one temperature with
RunOptions.FULL_TRACE and prints each op type's share of the op time,
and the matrix products' FLOP and rate: per chain and temperature, the
decoder's forward and backward pass (to z, not to the weights) at each
of the leapfrogs + 1 gradient evaluations, and one more forward for the
weight update.
"""
import argparse
import time

import machine
import numpy as np
import tracing

import vae_digits
from vae_digits.core import config
from vae_digits.data import load_test_set


def decoder_multiply_adds(z_dim, hidden=config.HIDDEN_UNITS,
                          x_dim=config.X_DIM):
    """Multiply-adds of one forward pass of the blog's decoder per code."""
    return z_dim * hidden + hidden * hidden + hidden * x_dim


def op_time_shares(annealer, images, runs):
    """({op type: share of the traced op time}, op microseconds per
    temperature) over `runs` temperatures."""
    ais = annealer.ais
    feed = {annealer.x: images[:annealer.batch], ais._previous_beta: 0.4,
            ais._beta: 0.5}
    annealer.session.run(ais._initializer, {annealer.x: feed[annealer.x]})
    return tracing.op_time_shares(annealer.session, ais._step, feed, runs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     allow_abbrev=False)
    parser.add_argument("checkpoint_dir")
    parser.add_argument("data_dir", help="MNIST-layout IDX directory")
    parser.add_argument("--images", type=int, default=512)
    parser.add_argument("--temperatures", type=int, default=100)
    parser.add_argument("--chains", type=int, default=config.AIS_CHAINS)
    parser.add_argument("--leapfrogs", type=int, default=config.AIS_LEAPFROGS)
    parser.add_argument("--traced", type=int, default=5,
                        help="temperatures traced for the op breakdown")
    args = parser.parse_args()
    print(f"CPU: {machine.describe()}")
    with vae_digits.load(args.checkpoint_dir) as vae:
        x, _ = load_test_set(vae.dataset, args.data_dir, vae.binarized, 0)
        x = vae._input(x[:args.images].reshape(-1, config.X_DIM))
        start = time.time()
        annealer = vae._annealer(**vae._annealing_settings(
            len(x), args.chains, args.temperatures, args.leapfrogs,
            "posterior", 0))
        built = time.time() - start
        start = time.time()
        estimates = annealer.forward(x)
        seconds = time.time() - start
        shares, micros = op_time_shares(annealer, x, args.traced)
        annealer.close()
    per_1000 = seconds * (1000 / len(x)) * (1000 / args.temperatures)
    rows = len(x) * args.chains * args.temperatures
    flop = 2 * rows * decoder_multiply_adds(vae.z_dim) * (
        2 * (args.leapfrogs + 1) + 1)
    print(f"{len(x)} images, {args.chains} chains, {args.temperatures} "
          f"temperatures, {args.leapfrogs} leapfrogs: {seconds:.1f} s (and "
          f"{built:.1f} s to build the graph once), mean "
          f"{np.mean(estimates):.2f} nats")
    print(f"seconds per 1,000 images at 1,000 temperatures: {per_1000:.0f}")
    print(f"decoder matrix products: {flop / 1e12:.2f} TFLOP, "
          f"{flop / seconds / 1e9:.1f} GFLOP/s over the whole run")
    matmul = sum(share for kind, share in shares.items() if "MatMul" in kind)
    print(f"op time of one traced temperature: {micros / 1e3:.0f}"
          f" ms summed over threads; by op type:")
    for kind, share in list(shares.items())[:12]:
        print(f"  {kind:<28} {100 * share:5.1f}%")
    print(f"  matrix products in all       {100 * matmul:5.1f}%")


if __name__ == "__main__":
    main()
