"""Lab `iwae-vs-vae`: does training on L_K buy a better model? Burda et
al.'s (2016) Table 1 at this data size.

Trains the blog's model and the iwae model at each K of --particles (5
and 50), the same --epochs on the same data with the same seed (each
kept under --checkpoint-dir, so a second run reuses them), then measures
each on the first --n-images test images: the test log-likelihood by
importance sampling with --eval-particles draws (Burda's own measure:
5,000) and its active units (active_units.py), beside the paper's
figures for its one-stochastic-layer models on all of MNIST.
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np

from vae_digits.core import arguments, config
from vae_digits.labs.active_units import THRESHOLD, activity_and_kl
from vae_digits.labs.common import Table, standard_error
from vae_digits.labs.loading import model_and_images
from vae_digits.pictures.figures import new_figure, save_png

NAME = "iwae-vs-vae"
SUMMARY = ("the blog's model against the iwae at K = 5 and 50, trained "
           "alike: Burda et al.'s Table 1 at this data size")
COLUMNS = ("model", "K", "epochs", "train_seconds", "log_likelihood",
           "standard_error", "active_units", "burda_log_likelihood",
           "burda_active_units")
# Burda et al. (2016), Table 1, MNIST, one stochastic layer: test
# log-likelihood (minus their NLL, IS with 5,000 samples) and active
# units, of the VAE (K = 1) and the IWAE trained with K samples.
BURDA = {("vae", 1): (-86.76, 19), ("iwae", 5): (-85.54, 22),
         ("iwae", 50): (-84.78, 25)}


def particle_list(text):
    """--particles: the iwae's Ks, comma-separated, e.g. 5,50."""
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    if not 1 <= len(parts) <= 5:
        raise argparse.ArgumentTypeError(
            f"must be 1 to 5 comma-separated counts, got {text!r}")
    return sorted({arguments.int_range(1, 1000)(p) for p in parts})


def add_arguments(parser):
    parser.add_argument("--epochs", type=arguments.epochs, default=20,
                        help="epochs of each model")
    parser.add_argument("--particles", type=particle_list, default=[5, 50],
                        help="the iwae's K, comma-separated")
    parser.add_argument("--train-images", type=arguments.image_count,
                        default=None, help="train on the first this many "
                        "training images (default: all)")
    parser.add_argument("--eval-particles", type=arguments.particles,
                        default=5000, help="importance samples of the test "
                        "log-likelihood")
    parser.set_defaults(checkpoint_dir=os.path.join(
        config.CHECKPOINT_ROOT, "labs", NAME), n_images=1000)


def run(args, directory, train):
    runs = [("vae", 1, "mlp", {})] + [
        ("iwae", k, "iwae", {"particles": k}) for k in args.particles]
    table = Table(COLUMNS)
    for name, k, model, options in runs:
        checkpoint_dir = os.path.join(args.checkpoint_dir, f"{name}{k}")
        print(f"== {name} K = {k}: {args.epochs} epochs", flush=True)
        start = time.time()
        train(model, epochs=args.epochs, seed=args.seed,
              data_path=args.data_path, train_images=args.train_images,
              checkpoint_dir=checkpoint_dir, save_freq=args.epochs,
              result_dir=os.path.join(directory, f"{name}{k}"), **options)
        seconds = time.time() - start
        vae, x, _ = model_and_images(args, checkpoint_dir)
        with vae:
            log_likelihoods = vae.log_likelihoods(x, args.eval_particles)
            activity, _ = activity_and_kl(vae, x)
        burda = BURDA.get((name, k), (None, None))
        table.add(model=name, K=k, epochs=args.epochs, train_seconds=seconds,
                  log_likelihood=float(np.mean(log_likelihoods)),
                  standard_error=standard_error(log_likelihoods),
                  active_units=int(np.sum(activity > THRESHOLD)),
                  burda_log_likelihood=burda[0], burda_active_units=burda[1])
    path = os.path.join(directory, f"{NAME}.png")
    draw(table.rows, args, len(x), path)
    return table, [path]


def draw(rows, args, n_images, path):
    """Two panels, one place per model: the test log-likelihood with two
    standard errors, and the active units; Burda's figures beside."""
    figure = new_figure(figsize=(11, 4.5), dpi=100)
    left, right = figure.subplots(1, 2)
    places = np.arange(len(rows))
    left.errorbar(places, [row["log_likelihood"] for row in rows],
                  yerr=[2 * row["standard_error"] for row in rows], fmt="o",
                  color="C0", capsize=4, label="here")
    right.bar(places, [row["active_units"] for row in rows], color="C0",
              label="here")
    for ax, column in ((left, "burda_log_likelihood"),
                       (right, "burda_active_units")):
        burda = [(i, row[column]) for i, row in enumerate(rows)
                 if row[column] is not None]
        if burda:
            ax.plot(*zip(*burda), "D", color="C3", label="Burda et al. 2016")
        ax.set_xticks(places)
        ax.set_xticklabels([f"{row['model']}, K = {row['K']}"
                            for row in rows])
        ax.grid(alpha=0.3, axis="y")
        ax.legend(fontsize=8)
    left.set_ylabel(f"test log-likelihood, nats (IS, {args.eval_particles} "
                    "samples)")
    right.set_ylabel(f"active units (activity above {THRESHOLD})")
    # room above the tallest bar for the legend
    right.set_ylim(0, 1.25 * max([row["active_units"] for row in rows]
                                 + [row["burda_active_units"] or 0
                                    for row in rows]))
    figure.suptitle(f"{args.epochs} epochs each, {n_images} test images")
    figure.tight_layout()
    save_png(figure, path)
