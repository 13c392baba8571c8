"""Pictures of a trained model's latent space, for `generate`:
- `latent.png` and `latent.csv`: the test images' encoder means, coloured
  by class (the first two principal components for more than two
  dimensions), and the means themselves;
- `manifold.png`: the decoder's means on an evenly spaced grid over the
  2-D latent plane, and `latent_and_manifold.png`, the scatter and the
  manifold side by side on the same range;
- `interpolation.png`: for each pair of chosen images, a row decoded from
  points evenly spaced between their codes.
"""
import os

import numpy as np

from vae_digits.core.config import IMAGE_SHAPE
from vae_digits.core.files import atomic_path
from vae_digits.pictures import figures
from vae_digits.pictures.grids import save_image_collections

__all__ = ["write_latent", "write_manifold", "write_interpolation"]


def _describe(vae):
    return f"{vae.model} model, z_dim {vae.z_dim}, {vae.dataset}"


def write_latent(vae, x, labels, result_dir):
    """latent.png and latent.csv (index,label,z1,...,zK) of the images
    `x` with their integer `labels`."""
    means = vae.encode(x)
    csv_path = os.path.join(result_dir, "latent.csv")
    with atomic_path(csv_path) as partial, open(partial, "w") as f:
        f.write(",".join(["index", "label"] + [f"z{k + 1}" for k in
                                               range(means.shape[1])]) + "\n")
        for index, (label, mean) in enumerate(zip(labels, means)):
            f.write(",".join([str(index), str(int(label))] +
                             [repr(float(v)) for v in mean]) + "\n")
    points, axis_names = figures.project_2d(means)
    png_path = os.path.join(result_dir, "latent.png")
    figures.write_latent(points, labels, vae.class_names, axis_names,
                         "test images' z means: " + _describe(vae), png_path)
    return [png_path, csv_path]


def grid_codes(grid_size, grid_range):
    """[grid_size^2, 2] points of the grid, row by row from the top
    (z2 = +grid_range) down, each row from z1 = -grid_range rightwards."""
    values = np.linspace(-grid_range, grid_range, grid_size)
    z1, z2 = np.meshgrid(values, values[::-1])
    return np.stack([z1.ravel(), z2.ravel()], axis=1)


def write_manifold(vae, x, labels, grid_size, grid_range, result_dir,
                   scale=1):
    """manifold.png and latent_and_manifold.png of a 2-D latent space."""
    images = vae.decode(grid_codes(grid_size, grid_range))
    manifold_path = os.path.join(result_dir, "manifold.png")
    save_image_collections(images, manifold_path,
                           shape=(grid_size, grid_size), scale=scale)
    manifold = images.reshape(grid_size, grid_size, *IMAGE_SHAPE) \
        .transpose(0, 2, 1, 3).reshape(grid_size * IMAGE_SHAPE[0], -1)
    both_path = os.path.join(result_dir, "latent_and_manifold.png")
    figures.write_latent_and_manifold(
        vae.encode(x), labels, vae.class_names, manifold, grid_range,
        _describe(vae), both_path)
    return [manifold_path, both_path]


def write_interpolation(vae, digits, steps, result_dir, scale=1):
    """interpolation.png: for each consecutive pair (A, B) of the images
    `digits`, a row of vae.interpolate(A, B, steps): the first image the
    reconstruction of A, the last B's."""
    images = np.concatenate([vae.interpolate(start, end, steps)
                             for start, end in zip(digits[0::2],
                                                   digits[1::2])])
    path = os.path.join(result_dir, "interpolation.png")
    save_image_collections(images, path, shape=(len(digits) // 2, steps),
                           scale=scale)
    return [path]
