"""`save_image_collections`: a batch of images as one PNG grid, as in
ZhuSuan's examples, each pixel drawn `scale` x `scale` (generate
--scale) and, on request, a caption band above it: one line, or one
caption centred over each column (generate --captions). The file is
written whole or not at all."""
import imageio.v3 as iio
import numpy as np

from vae_digits.core.config import CAPTION_HEIGHT
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


def caption_band(width, scale, caption=None, column_captions=None):
    """A black band [CAPTION_HEIGHT * scale, width] with `caption` in white
    at its left, or each of `column_captions` centred over its share of
    the width."""
    from PIL import Image, ImageDraw, ImageFont
    band = Image.new("L", (width, CAPTION_HEIGHT * scale), 0)
    draw = ImageDraw.Draw(band)
    font = ImageFont.load_default(size=10 * scale)
    middle = CAPTION_HEIGHT * scale / 2
    if caption is not None:
        draw.text((2 * scale, middle), caption, fill=255, font=font,
                  anchor="lm")
    for i, text in enumerate(column_captions or ()):
        centre = (i + .5) * width / len(column_captions)
        draw.text((centre, middle), text, fill=255, font=font, anchor="mm")
    return np.asarray(band)


def save_image_collections(x, filename, shape=(10, 10), scale=1,
                           caption=None, column_captions=None):
    """Write images `x` as the grayscale PNG grid tile(x, shape), each
    pixel `scale` x `scale`, under a caption band if a caption is given."""
    grid = tile(x, shape)
    if scale > 1:
        grid = np.repeat(np.repeat(grid, scale, axis=0), scale, axis=1)
    if caption is not None or column_captions:
        grid = np.vstack([caption_band(grid.shape[1], scale, caption,
                                       column_captions), grid])
    write_bytes(filename, iio.imwrite("<bytes>", grid, extension=".png"))
