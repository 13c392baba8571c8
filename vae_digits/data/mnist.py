"""Loading MNIST as ZhuSuan's examples did: `load_mnist_realval`.

A data path is either the classic `mnist.pkl.gz` pickle (50,000 train /
10,000 valid / 10,000 test) or a directory of the four MNIST IDX gz files,
whose training images are split in order 5:1 into train / valid as the
pickle was made. A directory holding `mnist.pkl.gz` uses the pickle;
missing files are downloaded (download.py). Pixels come back as float32
in [0, 1], labels one-hot. Every malformed file is a UserError.
"""
import codecs
import gzip
import math
import os
import pickle
import zlib

import numpy as np

from vae_digits.core.config import (
    DATA_DIR,
    DIGITS,
    IMAGE_SHAPE,
    N_CLASSES,
    PICKLE_NAME,
    X_DIM,
)
from vae_digits.core.errors import UserError
from vae_digits.data import catalog, download

__all__ = ["load_mnist_realval", "load_mnist_test", "load_training_data",
           "load_test_set",
           "resolve_data_path",
           "select_digits", "default_digits", "binarize", "binarize_each"]

TRAIN_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
TEST_FILES = ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
_IDX_MAGIC = {1: 0x00000801, 3: 0x00000803}  # unsigned bytes, ndim 1 / 3
# The most data one IDX file may hold: 20 times MNIST's training images.
MAX_IDX_BYTES = 1 << 30
DEFLATE_MAX_RATIO = 1032  # deflate expands a byte to at most this many


def resolve_data_path(path=None, files=TRAIN_FILES + TEST_FILES,
                      dataset="mnist"):
    """Where the data is: ("pickle", file) or ("idx", directory).

    Downloads what is missing: the IDX `files` of `dataset` into a
    directory, or the pickle to a missing path ending in .pkl.gz.
    """
    path = DATA_DIR if path is None else path
    if os.path.isfile(path):
        return "pickle", path
    _check_exists(path, dataset)
    if path.endswith(".pkl.gz"):
        download.fetch_pickle(path)
        return "pickle", path
    if os.path.exists(path) and not os.path.isdir(path):
        raise UserError(f"data path {path} is neither a file nor a directory; "
                        "pass an MNIST file or directory.")
    pickle_path = os.path.join(path, PICKLE_NAME)
    if os.path.isfile(pickle_path):
        return "pickle", pickle_path
    download.fetch_idx_files(path, files, dataset=dataset)
    return "idx", path


def _check_exists(path, dataset):
    """UserError for a data path that does not exist and is not where a
    download goes by default: a typo must not create directories."""
    directory = os.path.dirname(path) if path.endswith(".pkl.gz") else path
    if not directory or os.path.exists(directory) or os.path.normpath(
            directory) in (os.path.normpath(default) for default in
                           catalog.get(dataset).default_paths):
        return
    raise UserError(f"data path {directory} does not exist; check its spelling, or "
                    f"leave out --data-path to use {catalog.default_data_path(dataset)}.")


def load_mnist_realval(path=None, one_hot=True, dataset="mnist"):
    """x_train, t_train, x_valid, t_valid, x_test, t_test of MNIST (or of
    another `dataset` in its layout)."""
    kind, location = resolve_data_path(path, dataset=dataset)
    if kind == "pickle":
        splits = _read_pickle(location)
    else:
        x, t = _read_idx_pair(location, *TRAIN_FILES, dataset=dataset)
        n_valid = len(x) // 6
        n_train = len(x) - n_valid
        splits = ((x[:n_train], t[:n_train]), (x[n_train:], t[n_train:]),
                  _read_idx_pair(location, *TEST_FILES, dataset=dataset))
    result = []
    for x, t in splits:
        result += [x, _one_hot(t) if one_hot else t]
    return tuple(result)


def load_mnist_test(path=None, one_hot=True, dataset="mnist"):
    """x_test, t_test only: reads just the test files of an IDX directory."""
    kind, location = resolve_data_path(path, files=TEST_FILES,
                                       dataset=dataset)
    if kind == "pickle":
        x, t = _read_pickle(location)[2]
    else:
        x, t = _read_idx_pair(location, *TEST_FILES, dataset=dataset)
    return x, (_one_hot(t) if one_hot else t)


def load_training_data(data_path, rng, train_share=1., binarized=True,
                       dataset="mnist", max_images=None):
    """(x_train, t_train, x_test, t_test) for training: the leading
    `train_share` of the training images (train + valid, as the blog), at
    most `max_images` of them, and
    the test images, `binarized` once with np.random.binomial (drawn from
    `rng`) for a model tested on binary images; labels as integers."""
    x_train, t_train, x_valid, t_valid, x_test, t_test = load_mnist_realval(
        data_path, one_hot=False, dataset=dataset)
    x_train = np.vstack([x_train, x_valid])
    t_train = np.concatenate([t_train, t_valid])
    n_train = int(round(len(x_train) * train_share))
    if max_images is not None:
        n_train = min(n_train, max_images)
    if binarized:
        x_test = binarize(x_test, rng)
    return x_train[:n_train], t_train[:n_train], x_test, t_test


def load_test_set(dataset, data_path, binarized, seed=None):
    """x_test [N, 784] and integer t_test of a trained model's test set:
    `binarized` once, from `seed`, for a model tested on binary images."""
    x_test, t_test = load_mnist_test(data_path, one_hot=False,
                                     dataset=dataset)
    if binarized:
        x_test = binarize(x_test, np.random.RandomState(seed))
    return x_test, t_test


def select_digits(x_test, indices):
    """The test images at `indices`, checked to lie inside the test set."""
    for index in indices:
        if not 0 <= index < len(x_test):
            raise UserError(f"digit index {index} is outside the test set of {len(x_test)} "
                            f"digits; choose indices 0..{len(x_test) - 1}.")
    return x_test[list(indices)]


def default_digits(dataset, t_test):
    """The test images drawn by default: the blog's 0, 1, ..., 9 of MNIST,
    or the first test image of each class of another dataset, in class
    order."""
    if dataset == "mnist":
        return DIGITS
    return [int(np.argmax(t_test == k)) for k in range(N_CLASSES)
            if np.any(t_test == k)]


def binarize(images, rng):
    """Binary float32 images, each pixel 1 with its grey level as
    probability (the examples' np.random.binomial, drawn from `rng`)."""
    return rng.binomial(1, images, size=images.shape).astype(np.float32)


def binarize_each(images):
    """Binary float32 images [n, 784], each pixel 1 with its grey level as
    probability, each image drawn from a seed of its own pixels: one way
    for one image, whatever comes with it."""
    images = np.asarray(images, np.float32)
    return np.array([np.random.default_rng(zlib.crc32(image.tobytes()))
                     .random(image.shape) < image for image in images],
                    np.float32).reshape(images.shape)


def _one_hot(labels):
    encoded = np.zeros((len(labels), N_CLASSES), dtype=np.float32)
    encoded[np.arange(len(labels)), labels] = 1.
    return encoded


class _ArraysOnlyUnpickler(pickle.Unpickler):
    """Admits numpy arrays and plain containers; refuses any other object
    before it is built, since unpickling may otherwise run arbitrary code."""

    # _codecs.encode turns text into bytes in protocol-2 pickles that
    # Python 3 wrote; it builds nothing else.
    _ALLOWED = {("numpy", "ndarray"), ("numpy", "dtype"), ("_codecs", "encode"),
                ("numpy.core.multiarray", "_reconstruct"),
                ("numpy._core.multiarray", "_reconstruct"),
                ("numpy.core.multiarray", "scalar"),
                ("numpy._core.multiarray", "scalar")}

    def find_class(self, module, name):
        if (module, name) not in self._ALLOWED:
            raise pickle.UnpicklingError(
                f"it asks to build {module}.{name}, which is not a numpy array")
        if name == "_reconstruct":
            return np.ndarray.__reduce__(np.empty(0))[0]
        if name == "scalar":
            return np.float32(0).__reduce__()[0]
        if module == "_codecs":
            return codecs.encode
        return getattr(np, name)


def _read_pickle(path):
    try:
        with gzip.open(path, "rb") as f:
            content = _ArraysOnlyUnpickler(f, encoding="latin1").load()
    except (OSError, EOFError, zlib.error, pickle.UnpicklingError,
            ValueError, TypeError, IndexError, KeyError,
            AttributeError) as e:
        raise UserError(f"cannot read {path}: {_reason(e)}; replace it with "
                        f"the original mnist.pkl.gz (md5 "
                        f"{download.PICKLE_MD5}).") from None
    try:
        splits = [(np.asarray(x), np.asarray(t)) for x, t in content]
        if len(splits) != 3:
            raise ValueError
    except (TypeError, ValueError):
        raise UserError(f"{path} is not an MNIST pickle: expected (train, "
                        "valid, test) pairs of images and labels.") from None
    return [(_checked_images(x, path), _checked_labels(t, len(x), path))
            for x, t in splits]


def _checked_images(x, source):
    if x.ndim != 2 or x.shape[1] != X_DIM:
        raise UserError(f"{source} holds images of shape {x.shape[1:]}, not "
                        f"28x28 = {X_DIM} pixels; use MNIST-format data.")
    return x.astype(np.float32, copy=False)


def _checked_labels(t, n_images, source):
    if t.shape != (n_images,) or t.size and (t.min() < 0 or
                                             t.max() >= N_CLASSES):
        raise UserError(f"{source} has labels that do not match its {n_images} images or "
                        "are not 0-9; use MNIST-format data.")
    return t.astype(np.int64)


def _read_idx_pair(directory, images_name, labels_name, dataset="mnist"):
    images = _read_idx(os.path.join(directory, images_name), 3, dataset)
    if images.shape[1:] != IMAGE_SHAPE:
        height, width = images.shape[1:]
        raise UserError(f"{os.path.join(directory, images_name)} holds "
                        f"{height}x{width} images, not 28x28; use "
                        "MNIST-format data.")
    labels = _read_idx(os.path.join(directory, labels_name), 1, dataset)
    x = images.reshape(len(images), X_DIM).astype(np.float32) / 255.
    return x, _checked_labels(labels, len(x),
                              os.path.join(directory, labels_name))


def _read_idx(path, ndim, dataset="mnist"):
    """The array in a gzipped IDX file of unsigned bytes with `ndim` axes.
    The header's shape is checked against MAX_IDX_BYTES and against what
    the compressed file can hold before anything is allocated, and no
    more than it announces is decompressed."""
    md5 = download.sources(dataset)[1].get(os.path.basename(path),
                                           "as published")
    fix = f"replace it with the original file (md5 {md5})"
    header_bytes = 4 * (1 + ndim)
    try:
        with gzip.open(path, "rb") as f:
            header = f.read(header_bytes)
            if len(header) < header_bytes or \
                    int.from_bytes(header[:4], "big") != _IDX_MAGIC[ndim]:
                raise UserError(f"{path} is not an IDX file of {ndim}-d "
                                f"unsigned bytes (wrong magic number); {fix}.")
            shape = tuple(int.from_bytes(header[4 * i:4 * i + 4], "big")
                          for i in range(1, ndim + 1))
            size = _announced_size(path, shape, fix)
            content = f.read(size + 1)
    except (OSError, EOFError, zlib.error) as e:
        raise UserError(f"cannot read {path}: {_reason(e)}; {fix}.") from None
    if len(content) != size:
        held = "more" if len(content) > size else len(content)
        raise UserError(f"{path} should hold {size} bytes of data for shape "
                        f"{shape} but holds {held}; {fix}.")
    return np.frombuffer(content, np.uint8).reshape(shape)


def _announced_size(path, shape, fix):
    """The bytes of data an IDX header's `shape` announces, if it is
    within MAX_IDX_BYTES and what the compressed file can hold."""
    size = math.prod(shape)
    if size > MAX_IDX_BYTES:
        raise UserError(f"{path} announces data of shape {shape}, "
                        f"{size:,} bytes, more than the {MAX_IDX_BYTES:,} "
                        f"this package reads; {fix}.")
    if size > DEFLATE_MAX_RATIO * os.path.getsize(path) + 1024:
        raise UserError(f"{path} announces {size:,} bytes of data, more than "
                        f"its {os.path.getsize(path):,} compressed bytes can "
                        f"hold; {fix}.")
    return size


def _reason(error):
    """An exception as a clause: its message without a final full stop."""
    return (str(error) or type(error).__name__).rstrip(".")
