"""load_mnist_realval and friends on pickle and IDX files the tests write,
including every kind of broken file."""
import gzip
import os
import pathlib
import pickle

import numpy as np
import pytest

from tests.helpers import write_idx, write_idx_dir
from vae_digits import data
from vae_digits.core.errors import UserError

RNG = np.random.RandomState(0)


def random_images(n, size=28):
    return RNG.randint(0, 256, size=(n, size, size)).astype(np.uint8)


def random_labels(n):
    return RNG.randint(0, 10, size=n).astype(np.uint8)


@pytest.fixture
def idx_dir(tmp_path):
    return write_idx_dir(str(tmp_path / "mnist"), random_images(60),
                         random_labels(60), random_images(12),
                         random_labels(12))


def write_pickle(path, splits):
    with gzip.open(path, "wb") as f:
        pickle.dump(splits, f, protocol=2)
    return str(path)


def pickle_splits(sizes=(50, 10, 10)):
    return tuple((RNG.rand(n, 784).astype(np.float32),
                  RNG.randint(0, 10, n).astype(np.int64)) for n in sizes)


def test_idx_directory_splits_training_images_5_to_1_in_order(idx_dir):
    x_train, t_train, x_valid, t_valid, x_test, t_test = \
        data.load_mnist_realval(idx_dir)
    assert (x_train.shape, x_valid.shape, x_test.shape) == (
        (50, 784), (10, 784), (12, 784))
    assert x_train.dtype == np.float32 and x_train.min() >= 0. \
        and x_train.max() <= 1.
    with gzip.open(os.path.join(idx_dir, "train-images-idx3-ubyte.gz")) as f:
        raw = np.frombuffer(f.read(), np.uint8, offset=16).reshape(60, 784)
    np.testing.assert_allclose(x_valid * 255., raw[50:], atol=1e-3)
    with gzip.open(os.path.join(idx_dir, "train-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    assert t_train.shape == (50, 10)
    np.testing.assert_array_equal(t_valid.argmax(1), labels[50:])
    np.testing.assert_array_equal(t_test.sum(1), np.ones(12))


def test_pickle_loads_its_three_splits(tmp_path):
    splits = pickle_splits()
    path = write_pickle(tmp_path / "mnist.pkl.gz", splits)
    loaded = data.load_mnist_realval(path)
    for (x, t), x_loaded, t_loaded in zip(splits, loaded[0::2], loaded[1::2]):
        np.testing.assert_array_equal(x_loaded, x)
        np.testing.assert_array_equal(t_loaded.argmax(1), t)
    # a directory holding mnist.pkl.gz uses it
    x_test, _ = data.load_mnist_test(str(tmp_path))
    np.testing.assert_array_equal(x_test, splits[2][0])


def test_load_mnist_test_reads_only_the_test_files(idx_dir):
    os.remove(os.path.join(idx_dir, "train-images-idx3-ubyte.gz"))
    x_test, t_test = data.load_mnist_test(idx_dir)
    assert x_test.shape == (12, 784) and t_test.shape == (12, 10)


class Exploit:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_pickle_building_other_objects_is_refused_before_building(tmp_path):
    marker = str(tmp_path / "pwned")
    path = write_pickle(tmp_path / "mnist.pkl.gz",
                        ((Exploit(marker), None), (None, None), (None, None)))
    with pytest.raises(UserError, match=r"io\.open, which is not a numpy"):
        data.load_mnist_realval(path)
    assert not os.path.exists(marker)


@pytest.mark.parametrize("damage", ["truncated", "not gzip", "wrong content",
                                    "wrong image size"])
def test_broken_pickle_is_a_clear_error(tmp_path, damage):
    path = write_pickle(tmp_path / "mnist.pkl.gz", pickle_splits())
    content = pathlib.Path(path).read_bytes()
    if damage == "truncated":
        pathlib.Path(path).write_bytes(content[:len(content) // 2])
    elif damage == "not gzip":
        pathlib.Path(path).write_bytes(b"this is no gzip file" * 10)
    elif damage == "wrong content":
        write_pickle(path, {"a": 1})
    else:
        write_pickle(path, tuple((x[:, :100], t) for x, t in pickle_splits()))
    with pytest.raises(UserError, match=path.replace(".", r"\.")):
        data.load_mnist_realval(path)


@pytest.mark.parametrize("damage,message", [
    ("magic", "wrong magic number"),
    ("size", "should hold"),
    ("truncated", "cannot read"),
    ("image size", "20x20 images"),
    ("label count", "do not match"),
])
def test_broken_idx_file_is_a_clear_error(idx_dir, damage, message):
    images = os.path.join(idx_dir, "train-images-idx3-ubyte.gz")
    if damage == "magic":
        write_idx(images, random_images(60), magic=0x0802)
    elif damage == "size":
        with gzip.open(images, "rb") as f:
            content = f.read()
        with gzip.open(images, "wb") as f:
            f.write(content[:-100])
    elif damage == "truncated":
        content = pathlib.Path(images).read_bytes()
        pathlib.Path(images).write_bytes(content[:len(content) // 2])
    elif damage == "image size":
        write_idx(images, random_images(60, size=20))
    else:
        write_idx(images, random_images(59))
    with pytest.raises(UserError, match=message):
        data.load_mnist_realval(idx_dir)


def test_select_digits_checks_indices():
    x_test = np.arange(5 * 784, dtype=np.float32).reshape(5, 784)
    np.testing.assert_array_equal(data.select_digits(x_test, [4, 0]),
                                  x_test[[4, 0]])
    with pytest.raises(UserError, match="outside the test set of 5"):
        data.select_digits(x_test, [5])


def test_a_data_path_that_is_not_a_file_or_directory(tmp_path):
    fifo = str(tmp_path / "fifo")
    os.mkfifo(fifo)
    with pytest.raises(UserError, match="neither a file nor a directory"):
        data.load_mnist_realval(fifo)


def test_binarisation_sets_a_pixel_with_its_grey_level_as_probability():
    """Both binarisations, the test set's (numpy) and training's (in the
    graph): P(x = 1) is the pixel's grey level, not one minus it."""
    from tests.helpers import session
    from vae_digits.models.mlp import dynamic_binarization
    grey = np.tile(np.array([[0., 0.1, 0.5, 0.9, 1.]], np.float32),
                   [20000, 1])
    binary = data.binarize(grey, np.random.RandomState(0))
    np.testing.assert_allclose(binary.mean(axis=0), grey[0], atol=0.01)
    with session() as sess:
        in_graph = sess.run(dynamic_binarization(grey))
    np.testing.assert_allclose(in_graph.mean(axis=0), grey[0], atol=0.01)
    assert set(np.unique(in_graph)) == {0, 1}


def test_an_image_binarised_alone_or_in_a_batch_is_binarised_alike():
    """binarize_each (what a trained model does to grey images): one
    image's bits are its own, whatever comes with it, and each pixel is 1
    with its grey level as probability."""
    grey = np.random.RandomState(1).rand(200, 784).astype(np.float32)
    binary = data.binarize_each(grey)
    np.testing.assert_array_equal(data.binarize_each(grey[3:4]), binary[3:4])
    np.testing.assert_array_equal(data.binarize_each(grey[::-1])[::-1],
                                  binary)
    assert np.abs(binary[0] - binary[1]).sum() > 200  # not the same draws
    for low in (0., .25, .5, .75):  # P(1) the grey level, bin by bin
        within = (grey >= low) & (grey < low + .25)
        assert binary[within].mean() == pytest.approx(low + .125, abs=.01)


def test_a_missing_data_path_is_an_error_that_creates_nothing(tmp_path):
    """A typo in --data-path must not create directories (only the
    default data directory is created, for a download)."""
    missing = tmp_path / "no" / "such" / "dir"
    with pytest.raises(UserError, match=f"data path {missing} does not exist; "
                       "check its spelling"):
        data.load_mnist_realval(str(missing))
    assert os.listdir(str(tmp_path)) == []
