"""Shared by the tests: writing MNIST-format files, and fresh graphs."""
import contextlib
import gzip
import http.client
import json
import os
import re
import signal
import subprocess
import sys

import numpy as np

from vae_digits.core.compat import tf

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED_MNIST = os.path.join(REPO_ROOT, "..", "shared", "data", "mnist")


def sigint_at_default():
    """The preexec_fn of a process a test stops with Ctrl-C (SIGINT):
    the signal back at its default. A shell starts its background jobs
    with SIGINT ignored, and a process inherits that (pytest run in the
    background, then every process it starts): it would never stop."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


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


URL_LINE = re.compile(r"^Serving the (\w+) model \(epoch (\d+), (.+)\) at "
                      r"http://127\.0\.0\.1:(\d+)/ ; Ctrl-C stops$")


class ExploreServer:
    """`python -m vae_digits.explore ARGS` on a free port, until stop()."""

    def __init__(self, *args):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "vae_digits.explore", "--port", "0"] +
            list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, preexec_fn=sigint_at_default)
        self.first_line = self.process.stdout.readline().strip()
        match = URL_LINE.match(self.first_line)
        if match is None:
            self.process.kill()
            raise AssertionError(self.first_line + self.process.stderr.read())
        self.port = int(match.group(4))
        self.url = f"http://127.0.0.1:{self.port}/"

    def request(self, method, path, body=None, raw=None, headers=None):
        """(status, the JSON answer) of one request."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port,
                                                timeout=60)
        data = raw if raw is not None else (
            None if body is None else json.dumps(body).encode())
        connection.request(method, path, body=data, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
        connection.close()
        kind = response.getheader("Content-Type")
        return response.status, (json.loads(content) if kind ==
                                 "application/json" else content)

    def stop(self):
        """Ctrl-C: (exit code, stdout, stderr)."""
        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=60)
        return self.process.returncode, out, err
