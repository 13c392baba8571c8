"""Shared by the tests: writing MNIST-format files, and fresh graphs."""
import contextlib
import gzip
import os

import numpy as np

from vae_digits.compat import tf

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED_MNIST = os.path.join(REPO_ROOT, "..", "shared", "data", "mnist")


def write_idx(path, array, magic=None, compress=True):
    """Write `array` (uint8, 1-d labels or 3-d images) as an IDX file."""
    array = np.asarray(array, dtype=np.uint8)
    magic = (0x800 + array.ndim) if magic is None else magic
    header = magic.to_bytes(4, "big") + b"".join(
        d.to_bytes(4, "big") for d in array.shape)
    opener = gzip.open if compress else open
    with opener(path, "wb") as f:
        f.write(header + array.tobytes())


def write_idx_dir(directory, train_images, train_labels, test_images,
                  test_labels):
    """An MNIST IDX directory holding these uint8 arrays."""
    os.makedirs(directory, exist_ok=True)
    write_idx(os.path.join(directory, "train-images-idx3-ubyte.gz"),
              train_images)
    write_idx(os.path.join(directory, "train-labels-idx1-ubyte.gz"),
              train_labels)
    write_idx(os.path.join(directory, "t10k-images-idx3-ubyte.gz"),
              test_images)
    write_idx(os.path.join(directory, "t10k-labels-idx1-ubyte.gz"),
              test_labels)
    return directory


def read_real_test_digits():
    """The genuine MNIST test set (uint8 [10000, 28, 28], labels)."""
    def read(name, offset):
        with gzip.open(os.path.join(SHARED_MNIST, name)) as f:
            return np.frombuffer(f.read(), np.uint8, offset=offset)
    images = read("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)
    labels = read("t10k-labels-idx1-ubyte.gz", 8)
    return images, labels


def judge_digits(samples):
    """The digit most of `samples` ([n, 784] in [0, 1]) show, by a
    5-nearest-neighbour vote of each against the last 2,000 real test
    digits, neighbours by correlation (euclidean distance ranks the thin
    1s nearest to any faint image)."""
    images, labels = read_real_test_digits()

    def centred(x):
        x = x - x.mean(axis=-1, keepdims=True)
        return x / np.linalg.norm(x, axis=-1, keepdims=True)
    reference = centred(images[8000:].reshape(-1, 784) / 255.)
    similarity = centred(np.reshape(samples, (-1, 784))) @ reference.T
    nearest = labels[8000:][np.argsort(-similarity, axis=1)[:, :5]]
    votes = [np.bincount(row, minlength=10).argmax() for row in nearest]
    return int(np.bincount(votes, minlength=10).argmax())


@contextlib.contextmanager
def session(seed=1234):
    """A session on a fresh graph with a graph-level seed."""
    with tf.Graph().as_default() as graph:
        tf.set_random_seed(seed)
        with tf.Session(graph=graph) as sess:
            yield sess
