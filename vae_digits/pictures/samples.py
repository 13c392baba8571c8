"""Writing the image grids of a trained model (a trained.TrainedModel).

- `random_samples.png` (and `vae.epoch.N.png` during training): 100
  images decoded from z ~ N(0, I);
- `i.png`: `n_samples` decodings of z ~ q(z | x) for the i-th chosen
  test image, with `std_noise` added to the encoder's log-std;
- `reconstructions.png`: chosen test images, each above its
  reconstruction;
- `conditioned_samples.png` (a model conditioned on the digit): rows of
  one z from the prior each, decoded with every requested digit.
Each grid is exactly what the model's method returns for the same seed.
Used by `generate` (which may scale them, `scale`, and caption the
per-digit ones, `captions`) and by `train` (the posts' own files).
"""
import os
import re
import sys

import numpy as np

from vae_digits.core.config import (
    CONDITIONED_ROWS,
    CONDITIONED_SAMPLES_NAME,
    GRID_SHAPE,
    IMAGE_SHAPE,
    N_CLASSES,
    RANDOM_SAMPLES_NAME,
    RECONSTRUCTIONS_NAME,
)
from vae_digits.pictures.grids import grid_shape, save_image_collections

__all__ = ["write_random_samples", "write_digit_samples",
           "write_reconstructions", "write_conditioned", "write_defaults"]


def write_random_samples(vae, result_dir, name=RANDOM_SAMPLES_NAME,
                         seed=None, scale=1):
    """A 10 x 10 grid of vae.sample(100, seed), as `name`."""
    path = os.path.join(result_dir, name)
    save_image_collections(vae.sample(GRID_SHAPE[0] * GRID_SHAPE[1], seed),
                           path, shape=GRID_SHAPE, scale=scale)
    return [path]


def write_digit_samples(vae, digits, n_samples, std_noise, result_dir,
                        seed=None, scale=1, captions=None):
    """0.png, 1.png, ...: vae.vary(digit, n_samples, std_noise, seed) of
    each image of `digits` ([N, 784]); the i-th under `captions[i]` if
    captions are given."""
    paths = []
    for i, digit in enumerate(digits):
        path = os.path.join(result_dir, f"{i}.png")
        save_image_collections(vae.vary(digit, n_samples, std_noise, seed),
                               path, shape=grid_shape(n_samples),
                               scale=scale,
                               caption=captions[i] if captions else None)
        paths.append(path)
    _remove_stale_digit_samples(result_dir, len(digits))
    return paths


def _remove_stale_digit_samples(result_dir, count):
    """Remove the i.png, i >= `count`, that an earlier run with more
    digits left, so that every i.png there belongs to this run; says so
    on stderr."""
    stale = sorted((int(name[:-len(".png")]), name)
                   for name in os.listdir(result_dir)
                   if re.fullmatch(r"\d+\.png", name)
                   and int(name[:-len(".png")]) >= count)
    for _, name in stale:
        os.remove(os.path.join(result_dir, name))
    if stale:
        print(f"note: removed {', '.join(name for _, name in stale)} of an "
              f"earlier run from {result_dir}.", file=sys.stderr)


def write_reconstructions(vae, digits, result_dir, scale=1):
    """reconstructions.png: rows of up to 10 images from `digits`
    ([N, 784]), each row followed by their reconstructions."""
    rows, columns = grid_shape(len(digits))
    pairs = np.zeros((rows * columns, 2) + IMAGE_SHAPE, np.float32)
    pairs[:len(digits), 0] = digits.reshape((-1,) + IMAGE_SHAPE)
    pairs[:len(digits), 1] = vae.reconstruct(digits)
    # [rows, columns, 2, ...] -> [rows, 2, columns, ...]: image rows
    # alternate with their reconstruction rows
    images = pairs.reshape((rows, columns, 2) + IMAGE_SHAPE).swapaxes(1, 2)
    path = os.path.join(result_dir, RECONSTRUCTIONS_NAME)
    save_image_collections(images.reshape((-1,) + IMAGE_SHAPE), path,
                           shape=(2 * rows, columns), scale=scale)
    return [path]


def write_conditioned(vae, labels, n_rows, result_dir, seed=None, scale=1,
                      captions=False):
    """conditioned_samples.png: vae.draw(labels, n_rows, seed), a row per
    z, so a row shows one style across the digits; with `captions`, each
    column's digit above it."""
    images = vae.draw(labels, n_rows, seed)
    path = os.path.join(result_dir, CONDITIONED_SAMPLES_NAME)
    save_image_collections(images.reshape((-1,) + IMAGE_SHAPE), path,
                           shape=(n_rows, len(labels)), scale=scale,
                           column_captions=[str(label) for label in labels]
                           if captions else None)
    return [path]


def write_defaults(vae, digits, n_samples, std_noise, result_dir, seed=None,
                   labels=None, scale=1, captions=None):
    """What `generate` writes by default: random samples, then the
    variations of each image of `digits` ([N, 784], N may be 0), under
    `captions` if given, or, for a model conditioned on the digit,
    `n_samples` rows of `labels` (0-9 by default), captioned if
    `captions` is not None. Returns the paths written."""
    paths = write_random_samples(vae, result_dir, seed=seed, scale=scale)
    if vae.has_labels:
        return paths + write_conditioned(
            vae, list(range(N_CLASSES)) if labels is None else labels,
            n_samples or CONDITIONED_ROWS, result_dir, seed, scale,
            captions is not None)
    return paths + write_digit_samples(vae, digits, n_samples, std_noise,
                                       result_dir, seed, scale, captions)
