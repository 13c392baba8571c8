"""`save_image_collections`: a batch of images as one PNG grid, as in
ZhuSuan's examples. The file is written whole or not at all."""
import imageio.v3 as iio
import numpy as np

from vae_digits.core.files import write_bytes

__all__ = ["save_image_collections", "tile", "grid_shape"]


def grid_shape(n_images, columns=10):
    """Rows and columns of a grid for `n_images`: 10 wide, as many rows as
    needed (100 images give the blog's 10 x 10)."""
    columns = min(columns, n_images)
    return -(-n_images // columns), columns


def tile(x, shape=(10, 10)):
    """Images `x` ([N, H, W] or [N, H, W, 1], values in [0, 1]) as one
    uint8 grid [rows * H, columns * W] of `shape` (rows, columns), filled
    row by row, blank where images run out."""
    x = np.asarray(x)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim != 3:
        raise ValueError("Expected images of shape [N, H, W] or [N, H, W, 1], "
                         f"got {x.shape}.")
    rows, columns = shape
    n, height, width = x.shape
    if n > rows * columns:
        raise ValueError(f"{n} images do not fit a {rows}x{columns} grid.")
    grid = np.zeros((rows * columns, height, width), dtype=np.uint8)
    grid[:n] = np.rint(np.clip(x, 0., 1.) * 255.)
    return grid.reshape(rows, columns, height, width).transpose(
        0, 2, 1, 3).reshape(rows * height, columns * width)


def save_image_collections(x, filename, shape=(10, 10)):
    """Write images `x` as the grayscale PNG grid tile(x, shape)."""
    grid = tile(x, shape)
    write_bytes(filename, iio.imwrite("<bytes>", grid, extension=".png"))
