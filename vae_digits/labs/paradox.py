"""Lab `paradox`: why does my model give higher likelihood to images it
has never seen? (Nalisnick et al., 2019.)

A model trained on Fashion-MNIST (--checkpoint-dir; by default the
blog's, `checkpoints/vae_digits_fashion-mnist`, trained here first when
--epochs is given) scores the first --n-images of the Fashion test set
and of the MNIST test set (--ood-data-path) by log p(x), importance
sampled with --particles draws. As an out-of-distribution score, a
likelihood should rank the Fashion images above the digits: its AUROC is
the chance that it does for a random pair. Digits are simpler images
(more empty background, fewer strokes), and a likelihood rewards
simplicity. The remedy of Serra et al. (2020) subtracts that: the
score log2 p(x) + L(x), L(x) the image's length in bits compressed as a
PNG (a general-purpose measure of its complexity), whose AUROC is
printed beside.
"""
from __future__ import annotations

import math
import os

import imageio.v3 as iio
import numpy as np

from vae_digits import models
from vae_digits.core import arguments, config
from vae_digits.core.errors import UserError
from vae_digits.data import catalog, load_test_set
from vae_digits.labs.common import Table, auroc
from vae_digits.labs.loading import model_and_images
from vae_digits.pictures.figures import new_figure, save_png

NAME = "paradox"
SUMMARY = ("a Fashion-MNIST model scores MNIST digits higher than its own "
           "test images: the AUROC, and a remedy (input complexity)")
COLUMNS = ("score", "auroc", "fashion_mean", "mnist_mean")
IN_DISTRIBUTION = "fashion-mnist"


def add_arguments(parser):
    parser.add_argument("--ood-data-path",
                        default=catalog.default_data_path("mnist"),
                        help="MNIST-format directory of the other images "
                             "(the digits)")
    parser.add_argument("--epochs", type=arguments.epochs, default=None,
                        help="train the model on Fashion-MNIST to this epoch "
                             "first (resuming what --checkpoint-dir holds)")
    parser.add_argument("--train-images", type=arguments.image_count,
                        default=None, help="with --epochs, train on the first "
                        "this many Fashion-MNIST training images")
    parser.add_argument("--particles", type=arguments.particles, default=100,
                        help="importance samples of each log p(x)")
    parser.set_defaults(dataset=IN_DISTRIBUTION, checkpoint_dir=None,
                        n_images=1000)


def default_checkpoint_dir(args):
    """The checkpoints of --model (the blog's) on Fashion-MNIST, where
    `train --model NAME --dataset fashion-mnist` puts them."""
    model = models.get(args.model or models.DEFAULT)
    return os.path.join(config.CHECKPOINT_ROOT,
                        f"{model.directory}_{IN_DISTRIBUTION}")


def complexity_bits(images):
    """Each image's length in bits compressed as an 8-bit PNG, the
    complexity estimate L(x) of Serra et al. (2020)."""
    pixels = np.clip(np.rint(np.asarray(images) * 255), 0, 255).astype(np.uint8)
    return np.array([8 * len(iio.imwrite("<bytes>", image.reshape(
        config.IMAGE_SHAPE), extension=".png")) for image in pixels], float)


def run(args, directory, train):
    if args.dataset != IN_DISTRIBUTION:
        raise UserError("the paradox lab scores a model trained on "
                        f"{IN_DISTRIBUTION}; leave out --dataset "
                        f"{args.dataset}.")
    if args.epochs is not None:
        train(args.model or models.DEFAULT, epochs=args.epochs, dataset=IN_DISTRIBUTION,
              data_path=args.data_path or catalog.default_data_path(
                  IN_DISTRIBUTION), seed=args.seed,
              train_images=args.train_images,
              checkpoint_dir=args.checkpoint_dir,
              result_dir=os.path.join(directory, "training"))
    vae, fashion, _ = model_and_images(args)
    with vae:
        digits = load_test_set("mnist", args.ood_data_path, vae.binarized,
                               args.seed)[0][:args.n_images]
        scores = {name: vae.log_likelihoods(x, args.particles)
                  for name, x in (("fashion", fashion), ("mnist", digits))}
    corrected = {name: scores[name] / math.log(2) + complexity_bits(x)
                 for name, x in (("fashion", fashion), ("mnist", digits))}
    table = Table(COLUMNS)
    for score, values in (("log p(x), nats", scores),
                          ("log2 p(x) + L(x), bits", corrected)):
        table.add(score=score, auroc=auroc(values["fashion"], values["mnist"]),
                  fashion_mean=float(np.mean(values["fashion"])),
                  mnist_mean=float(np.mean(values["mnist"])))
    print(f"AUROC = {table.rows[0]['auroc']:.3f} (log p(x) as the "
          "in-distribution score)")
    print(f"AUROC = {table.rows[1]['auroc']:.3f} (corrected for input "
          "complexity, Serra et al. 2020)", flush=True)
    _write_scores(directory, scores, corrected)
    path = os.path.join(directory, f"{NAME}.png")
    draw(scores, corrected, table.rows, path)
    return table, [path]


def _write_scores(directory, scores, corrected):
    """Each image's scores, as paradox_scores.csv."""
    table = Table(("dataset", "image", "log_likelihood", "corrected"))
    for name in scores:
        for i, (value, fixed) in enumerate(zip(scores[name],
                                               corrected[name])):
            table.add(dataset=name, image=i, log_likelihood=float(value),
                      corrected=float(fixed))
    table.write_csv(os.path.join(directory, f"{NAME}_scores.csv"))


def draw(scores, corrected, rows, path):
    """The two histograms of each score, Fashion test images against
    MNIST digits, with the AUROC in the title."""
    figure = new_figure(figsize=(12, 4.5), dpi=100)
    for ax, values, row, unit in zip(figure.subplots(1, 2),
                                     (scores, corrected), rows,
                                     ("nats", "bits")):
        edges = np.histogram_bin_edges(np.concatenate(list(values.values())),
                                       bins=40)
        for name, colour, label in (("fashion", "C0", "Fashion-MNIST test "
                                     "images (trained on)"),
                                    ("mnist", "C3", "MNIST digits (never "
                                     "seen)")):
            ax.hist(values[name], bins=edges, alpha=0.55, color=colour,
                    label=label)
        ax.set_xlabel(f"{row['score'].split(',')[0]} ({unit})")
        ax.set_ylabel("images")
        ax.set_title(f"AUROC {row['auroc']:.3f}")
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    figure.suptitle("a higher score should mean 'like the training images'")
    figure.tight_layout()
    save_png(figure, path)
