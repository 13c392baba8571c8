"""save_image_collections: grid layout, pixel values, whole-or-nothing."""
import os

import imageio.v3 as iio
import numpy as np
import pytest

from vae_digits.pictures.grids import grid_shape, save_image_collections


def test_grid_places_images_row_by_row_as_grayscale(tmp_path):
    images = np.zeros((100, 28, 28, 1), np.float32)
    for k in range(100):
        images[k] = k / 99.
    path = str(tmp_path / "grid.png")
    save_image_collections(images, path)
    grid = iio.imread(path)
    assert grid.shape == (280, 280) and grid.dtype == np.uint8
    for k in (0, 9, 10, 57, 99):
        row, column = divmod(k, 10)
        cell = grid[row * 28:(row + 1) * 28, column * 28:(column + 1) * 28]
        assert (cell == np.rint(k / 99. * 255)).all()


def test_fewer_images_leave_black_cells_and_too_many_are_refused(tmp_path):
    path = str(tmp_path / "grid.png")
    save_image_collections(np.ones((3, 28, 28)), path, shape=(2, 2))
    grid = iio.imread(path)
    assert grid.shape == (56, 56)
    assert (grid[:28] == 255).all() and (grid[28:, 28:] == 0).all()
    with pytest.raises(ValueError, match="do not fit"):
        save_image_collections(np.ones((5, 28, 28)), path, shape=(2, 2))


def test_writes_whole_files_only_and_creates_the_directory(tmp_path):
    path = str(tmp_path / "new" / "dir" / "grid.png")
    save_image_collections(np.full((4, 28, 28), 2.), path, shape=(2, 2))
    assert (iio.imread(path) == 255).all()  # values clipped into [0, 1]
    assert os.listdir(os.path.dirname(path)) == ["grid.png"]


def test_grid_shape():
    assert grid_shape(100) == (10, 10)
    assert grid_shape(25) == (3, 10)
    assert grid_shape(4) == (1, 4)


def test_images_get_the_usual_file_mode(tmp_path):
    """Written through a private temporary file, yet readable as any file
    the user creates."""
    umask = os.umask(0o022)
    try:
        save_image_collections(np.zeros((1, 28, 28)), str(tmp_path / "a.png"),
                               shape=(1, 1))
    finally:
        os.umask(umask)
    assert os.stat(str(tmp_path / "a.png")).st_mode & 0o777 == 0o644


def test_column_captions_stand_over_their_columns(tmp_path):
    images = np.zeros((20, 28, 28))
    path = str(tmp_path / "conditioned.png")
    save_image_collections(images, path, shape=(2, 10), scale=2,
                           column_captions=[str(d) for d in range(10)])
    picture = iio.imread(path)
    assert picture.shape == (2 * (14 + 56), 560)
    band = picture[:28].reshape(28, 10, 56)  # a column of digits each
    for column in range(10):
        ink = np.nonzero(band[:, column].max(axis=0))[0]
        assert len(ink) and abs(ink.mean() - 28) < 8, (column, ink)
    assert picture[28:].max() == 0  # the images themselves untouched
