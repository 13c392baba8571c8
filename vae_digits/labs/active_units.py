"""Lab `active-units`: which latent dimensions does the model use?

Burda et al. (2016) call a latent dimension u active when its activity,
the variance over the data of the encoder's mean E_q[z_u | x], exceeds
0.01: a dimension whose mean never moves carries nothing about x, and
its q(z_u | x) stays at the prior (posterior collapse). Beside it, each
dimension's share of the ELBO's KL term, KL(q(z_u | x) || p(z_u))
averaged over the images: the dead ones are flat at 0. On the first
--n-images test images; one figure, sorted by activity, and the table of
every dimension.
"""
from __future__ import annotations

import os

import numpy as np

from vae_digits.labs.common import Table
from vae_digits.labs.loading import model_and_images
from vae_digits.pictures.figures import new_figure, save_png
from vae_digits.trained.measures import latent_kl

NAME = "active-units"
SUMMARY = ("which latent dimensions the model uses: Burda's activity and "
           "the KL of each, sorted")
THRESHOLD = 0.01  # Burda et al.'s
COLUMNS = ("rank", "dimension", "activity", "kl", "active")


def add_arguments(parser):
    pass


def activity_and_kl(vae, x):
    """(activity [z_dim], mean KL [z_dim]) of the images `x`: the variance
    over them of q's mean; KL(q(z_u | x) || p(z_u)) of each dimension
    (Gaussian from N(0, 1); bits from fair coins), averaged over them."""
    means, stds = vae.encode(x, std=True)
    kl = latent_kl(means, stds, vae.binary_codes)
    return means.astype(np.float64).var(axis=0), kl.mean(axis=0)


def run(args, directory, train=None):
    vae, x, _ = model_and_images(args)
    with vae:
        activity, kl = activity_and_kl(vae, x)
        title = f"{vae.model} model, epoch {vae.epoch}, {len(x)} test images"
    order = np.argsort(-activity, kind="stable")
    table = Table(COLUMNS)
    for rank, u in enumerate(order, 1):
        table.add(rank=rank, dimension=int(u), activity=float(activity[u]),
                  kl=float(kl[u]), active=bool(activity[u] > THRESHOLD))
    count = int(np.sum(activity > THRESHOLD))
    print(f"Active units: {count} of {len(activity)} (activity above "
          f"{THRESHOLD}); they hold {kl[activity > THRESHOLD].sum():.2f} of "
          f"the {kl.sum():.2f} nats of KL", flush=True)
    path = os.path.join(directory, f"{NAME}.png")
    draw(activity[order], kl[order], order, count, title, path)
    return table, [path]


def draw(activity, kl, dimensions, count, title, path):
    """Two panels over the dimensions sorted by activity: the activity on
    a log axis with the threshold, and each one's mean KL."""
    figure = new_figure(figsize=(max(8, 0.25 * len(activity) + 3), 6),
                        dpi=100)
    top, bottom = figure.subplots(2, 1, sharex=True)
    ranks = np.arange(len(activity))
    colours = ["C0" if a > THRESHOLD else "0.6" for a in activity]
    top.bar(ranks, np.maximum(activity, 1e-8), color=colours)
    top.axhline(THRESHOLD, color="C3", ls="--",
                label=f"active above {THRESHOLD}")
    top.set_yscale("log")
    top.set_ylabel("activity: Var_x E_q[z_u]")
    top.set_title(f"{count} of {len(activity)} units active")
    top.legend(fontsize=8)
    bottom.bar(ranks, kl, color=colours)
    bottom.set_ylabel("KL(q(z_u | x) || p(z_u)), nats")
    bottom.set_xlabel("latent dimension, by activity (its index below)")
    bottom.set_xticks(ranks)
    bottom.set_xticklabels([str(d) for d in dimensions], fontsize=7,
                           rotation=90 if len(ranks) > 20 else 0)
    for ax in (top, bottom):
        ax.grid(alpha=0.3, axis="y")
    figure.suptitle(title)
    figure.tight_layout()
    save_png(figure, path)
