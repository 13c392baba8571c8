"""The data files as a user hands them over, read to the byte: the sets
training and evaluation take, the original Python 2 pickle, each broken
file's whole message (the file, the fault, the published md5), headers
checked against the file's size at the exact bounds, and no more of a
file decompressed than its header announces."""
import gzip
import io
import os
import pickle
import struct

import numpy as np
import pytest

from tests.helpers import (
    SHARED_MNIST,
    read_real_test_digits,
    write_idx,
    write_idx_dir,
)
from tests.test_data import pickle_splits, random_images, random_labels
from vae_digits.core import config
from vae_digits.core.errors import UserError
from vae_digits.data import catalog, digits, download, mnist

FIX = "; replace it with the original file (md5 {})."


@pytest.fixture
def idx_dir(tmp_path):
    rng = np.random.RandomState(5)
    return write_idx_dir(str(tmp_path / "mnist"),
                         rng.randint(256, size=(60, 28, 28)),
                         rng.randint(10, size=60),
                         rng.randint(256, size=(12, 28, 28)),
                         np.arange(12) % 10)


def _refusal(call, *args, **kwargs):
    with pytest.raises(UserError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def test_training_takes_train_and_valid_and_a_binarised_test_set(idx_dir):
    x, t, x_valid, t_valid, x_test, t_test = mnist.load_mnist_realval(
        idx_dir, one_hot=False)
    assert t.dtype == np.int64 and t_test.tolist() == list(np.arange(12) % 10)
    x_train, t_train, binary, t_test2 = mnist.load_training_data(
        idx_dir, np.random.RandomState(3))
    np.testing.assert_array_equal(x_train, np.vstack([x, x_valid]))
    np.testing.assert_array_equal(t_train, np.concatenate([t, t_valid]))
    np.testing.assert_array_equal(binary, mnist.binarize(
        x_test, np.random.RandomState(3)))
    np.testing.assert_array_equal(t_test2, t_test)
    x_half, t_half, grey, _ = mnist.load_training_data(
        idx_dir, None, train_share=0.45, binarized=False)
    np.testing.assert_array_equal(x_half, x_train[:27])  # 60 * 0.45
    assert t_half.tolist() == t_train[:27].tolist()
    np.testing.assert_array_equal(grey, x_test)
    assert len(mnist.load_training_data(idx_dir, None, binarized=False,
                                        max_images=7)[0]) == 7


def test_a_trained_models_test_set_is_binarised_from_its_seed(idx_dir):
    x_test, t_test = mnist.load_mnist_test(idx_dir, one_hot=False)
    assert t_test.tolist() == list(np.arange(12) % 10)
    binary, labels = mnist.load_test_set("mnist", idx_dir, True, seed=9)
    np.testing.assert_array_equal(binary, mnist.binarize(
        x_test, np.random.RandomState(9)))
    assert labels.tolist() == t_test.tolist()
    grey, _ = mnist.load_test_set("mnist", idx_dir, False)
    np.testing.assert_array_equal(grey, x_test)


def test_the_documented_way_to_get_test_images_as_arrays(idx_dir, tmp_path,
                                                         monkeypatch):
    """docs/python-api.md: `from vae_digits.data import load_test_set`,
    `images, labels = load_test_set("mnist")` reads data/ by default."""
    from vae_digits.data import load_test_set
    monkeypatch.chdir(tmp_path)
    os.rename(idx_dir, tmp_path / "data")
    images, labels = load_test_set("mnist")
    assert images.shape == (12, 784) and images.dtype == np.float32
    assert images.min() >= 0 and images.max() <= 1
    assert labels.tolist() == list(np.arange(12) % 10)
    np.testing.assert_array_equal(images, load_test_set()[0])
    binary = load_test_set(binarized=True, seed=3)[0]
    assert set(np.unique(binary)) <= {0., 1.}
    np.testing.assert_array_equal(binary, load_test_set(binarized=True,
                                                        seed=3)[0])


def test_binarising_draws_each_pixel_with_its_grey_level():
    grey = np.tile(np.float32([0., 0.2, 0.5, 1.]), (5000, 1))
    binary = mnist.binarize(grey, np.random.RandomState(0))
    assert binary.dtype == np.float32 and binary.shape == grey.shape
    assert set(np.unique(binary)) == {0., 1.}
    np.testing.assert_allclose(binary.mean(axis=0), grey[0], atol=0.02)
    assert binary[:, 0].max() == 0. and binary[:, 3].min() == 1.


def test_the_digits_drawn_by_default(capsys):
    blog = [3, 2, 1, 90, 95, 23, 11, 0, 84, 7]
    assert digits.default_digits("mnist", None) == blog
    labels = np.array([3, 1, 1, 0, 3, 2])  # no image of 4..9
    assert digits.default_digits("fashion-mnist", labels) == [3, 1, 5, 0]
    assert capsys.readouterr().out == ""


def test_the_blogs_digits_only_where_the_labels_say_0_to_9(capsys):
    if not os.path.isdir(SHARED_MNIST):
        pytest.skip(f"real MNIST digits not found at {SHARED_MNIST}")
    _, labels = read_real_test_digits()
    assert digits.default_digits("mnist", labels) == list(config.DIGITS)
    assert capsys.readouterr().out == ""
    held_out = labels[8000:]  # the blog's indices hold 4, 9, 3, 7, ... here
    chosen = digits.default_digits("mnist", held_out)
    assert held_out[chosen].tolist() == list(range(10))
    assert chosen == [int(np.flatnonzero(held_out == k)[0]) for k in range(10)]
    line = capsys.readouterr().out
    assert line.count("\n") == 1 and ", ".join(map(str, chosen)) in line
    assert digits.default_digits("mnist", held_out, quiet=True) == chosen
    assert capsys.readouterr().out == ""


def test_digit_indices_outside_the_test_set_are_named():
    x = np.zeros((5, 784))
    for index in (5, -1):
        assert _refusal(digits.select_digits, x, [0, index]) == (
            f"digit index {index} is outside the test set of 5 digits; "
            "choose indices 0..4.")


def _py2_pickle(path, splits):
    """`splits` pickled as Python 2 did: byte strings as str opcodes."""
    class Python2Pickler(pickle._Pickler):
        dispatch = dict(pickle._Pickler.dispatch)

        def save_py2_str(self, data):
            self.write(pickle.BINSTRING + struct.pack("<i", len(data)) + data)
            self.memoize(data)
        dispatch[bytes] = save_py2_str
    buffer = io.BytesIO()
    Python2Pickler(buffer, protocol=2).dump(splits)
    with gzip.open(path, "wb") as f:
        f.write(buffer.getvalue())
    return str(path)


def test_the_original_python2_pickle_loads(tmp_path):
    splits = pickle_splits()
    splits = ((splits[0][0].astype(np.float64), [np.int64(v) for v in
                                                 splits[0][1]]),) + splits[1:]
    path = _py2_pickle(tmp_path / "mnist.pkl.gz", splits)
    with open(path, "rb") as f:
        assert b"_codecs" not in gzip.decompress(f.read())
    x, t, *_ = mnist.load_mnist_realval(path)
    assert x.dtype == np.float32 and t.dtype == np.float32
    np.testing.assert_array_equal(x, splits[0][0].astype(np.float32))
    np.testing.assert_array_equal(t.argmax(axis=1), splits[0][1])


@pytest.mark.parametrize("content, message", [
    ({"a": 1}, "{} is not an MNIST pickle: expected (train, valid, test) "
               "pairs of images and labels."),
    (((np.zeros((2, 100)), np.zeros(2)),) * 3, "{} holds images of shape "
     "(100,), not 28x28 = 784 pixels; use MNIST-format data."),
    (((np.zeros((2, 784)), np.array([1, 10])),) * 3, "{} has labels that do "
     "not match its 2 images or are not 0-9; use MNIST-format data."),
    (((np.zeros((2, 784)), np.array([-1, 1])),) * 3, "{} has labels that do "
     "not match its 2 images or are not 0-9; use MNIST-format data."),
], ids=["not splits", "image size", "label 10", "label -1"])
def test_a_wrong_pickle_says_what_it_holds(tmp_path, content, message):
    path = str(tmp_path / "mnist.pkl.gz")
    with gzip.open(path, "wb") as f:
        pickle.dump(content, f, protocol=2)
    assert _refusal(mnist.load_mnist_realval, path) == message.format(path)


def test_a_broken_idx_file_is_named_with_its_md5(idx_dir):
    images = os.path.join(idx_dir, "t10k-images-idx3-ubyte.gz")
    write_idx(images, random_images(12), magic=0x802)
    assert _refusal(mnist.load_mnist_test, idx_dir) == (
        f"{images} is not an IDX file of 3-d unsigned bytes (wrong magic "
        "number)" + FIX.format(download.IDX_MD5["t10k-images-idx3-ubyte.gz"]))
    for load in (mnist.load_mnist_test, mnist.load_mnist_realval):
        assert _refusal(load, idx_dir, dataset="fashion-mnist").endswith(
            FIX.format(download.FASHION_MD5["t10k-images-idx3-ubyte.gz"]))
    with gzip.open(images, "wb") as f:
        f.write((0x803).to_bytes(4, "big"))  # a header cut short
    assert "(wrong magic number)" in _refusal(mnist.load_mnist_test, idx_dir)
    write_idx(images, random_images(12, size=20))
    assert _refusal(mnist.load_mnist_test, idx_dir) == (
        f"{images} holds 20x20 images, not 28x28; use MNIST-format data.")
    labels = os.path.join(idx_dir, "train-labels-idx1-ubyte.gz")
    write_idx(labels, random_labels(59))
    assert _refusal(mnist.load_mnist_realval, idx_dir) == (
        f"{labels} has labels that do not match its 60 images or are not "
        "0-9; use MNIST-format data.")
    with open(labels, "wb") as f:
        f.write(b"\x1f\x8b\x08\x00" + b"\0" * 20)
    message = _refusal(mnist.load_mnist_realval, idx_dir,
                       dataset="fashion-mnist")
    assert message == f"cannot read {labels}: " + (
        "Error -3 while decompressing data: invalid stored block lengths"
        + FIX.format(download.FASHION_MD5["train-labels-idx1-ubyte.gz"]))


def _labels_announcing(directory, n_announced, n_held=100):
    """The test labels file: `n_held` labels, stored uncompressed (its size
    does not depend on its bytes), its header announcing `n_announced`."""
    path = os.path.join(directory, "t10k-labels-idx1-ubyte.gz")
    header = (0x801).to_bytes(4, "big") + n_announced.to_bytes(4, "big")
    with open(path, "wb") as f:
        f.write(gzip.compress(header + bytes(n_held), compresslevel=0))
    return path, os.path.getsize(path)


def test_a_header_is_checked_against_the_files_size_at_the_bounds(idx_dir):
    path, size = _labels_announcing(idx_dir, 0)
    fix = FIX.format(download.IDX_MD5["t10k-labels-idx1-ubyte.gz"])
    for announced in (1032 * size + 1024, 1032 * size - 1000):
        _labels_announcing(idx_dir, announced)
        assert _refusal(mnist.load_mnist_test, idx_dir) == (
            f"{path} should hold {announced} bytes of data for shape "
            f"({announced},) but holds 100" + fix)
    _labels_announcing(idx_dir, 1032 * size + 1025)
    assert _refusal(mnist.load_mnist_test, idx_dir) == (
        f"{path} announces {1032 * size + 1025:,} bytes of data, more than "
        f"its {size} compressed bytes can hold" + fix)
    _labels_announcing(idx_dir, 100)
    _labels_announcing(idx_dir, 13, 12)
    assert _refusal(mnist.load_mnist_test, idx_dir).startswith(
        f"{path} should hold 13 bytes of data for shape (13,) but holds 12;")


def test_the_largest_file_announced_is_1_gib(tmp_path):
    directory = write_idx_dir(str(tmp_path), random_images(1),
                              random_labels(1), random_images(1),
                              random_labels(1))
    path = os.path.join(directory, "t10k-images-idx3-ubyte.gz")
    header = b"".join(v.to_bytes(4, "big") for v in (0x803, 1, 2 ** 15,
                                                       2 ** 15))
    noise = np.random.RandomState(0).bytes(1_100_000)  # cannot shrink
    with open(path, "wb") as f:
        f.write(gzip.compress(header + noise, compresslevel=1))
    assert _refusal(mnist.load_mnist_test, directory).startswith(
        f"{path} should hold 1073741824 bytes of data for shape (1, 32768, "
        "32768) but holds 1100000;")


def test_no_more_is_decompressed_than_announced(idx_dir, monkeypatch):
    path = os.path.join(idx_dir, "t10k-labels-idx1-ubyte.gz")
    with gzip.open(path, "wb") as f:
        f.write((0x801).to_bytes(4, "big") + (12).to_bytes(4, "big")
                + bytes(1 << 20))
    read = []
    real_open = gzip.open

    def counting_open(*args, **kwargs):
        f = real_open(*args, **kwargs)
        real_read = f.read

        def counting_read(n=-1):
            data = real_read(n)
            read.append(len(data))
            return data
        f.read = counting_read
        return f
    monkeypatch.setattr(mnist.gzip, "open", counting_open)
    assert _refusal(mnist.load_mnist_test, idx_dir).startswith(
        f"{path} should hold 12 bytes of data for shape (12,) but holds more")
    assert read[-2:] == [8, 13]  # the header, then one byte past the data


def test_where_a_dataset_is_read_from_by_default(tmp_path, monkeypatch):
    paths = tuple(str(tmp_path / name) for name in ("a", "b", "c"))
    monkeypatch.setitem(catalog.DATASETS, "three", catalog.Dataset(
        "three", catalog.DATASETS["mnist"].class_names, paths))
    assert catalog.default_data_path("three") == paths[2]
    os.mkdir(paths[1])
    assert catalog.default_data_path("three") == paths[1]
    os.mkdir(paths[0])
    assert catalog.default_data_path("three") == paths[0]
    assert _refusal(catalog.get, "cifar") == \
        "unknown dataset 'cifar'; choose one of mnist, fashion-mnist, three."


def test_what_is_missing_is_fetched_for_its_dataset(tmp_path, monkeypatch):
    """Files stand in for the ones a download would write."""
    fetched = []

    def fetch(path, files, dataset):
        fetched.append((path, files, dataset))
        rng = np.random.RandomState(0)
        write_idx_dir(path, rng.randint(256, size=(6, 28, 28)),
                      np.arange(6), rng.randint(256, size=(2, 28, 28)),
                      np.arange(2))
    monkeypatch.setattr(download, "fetch_idx_files", fetch)
    monkeypatch.chdir(tmp_path)
    mnist.load_mnist_test()  # the default data, fetched into data/
    assert mnist.resolve_data_path() == ("idx", "data")
    os.mkdir("fashion")
    assert mnist.resolve_data_path("fashion", mnist.TEST_FILES,
                                   "fashion-mnist") == ("idx", "fashion")
    mnist.load_mnist_test("fashion", dataset="fashion-mnist")
    assert fetched == [("data", mnist.TEST_FILES, "mnist"),
                       ("data", mnist.TRAIN_FILES + mnist.TEST_FILES,
                        "mnist"),
                       ("fashion", mnist.TEST_FILES, "fashion-mnist"),
                       ("fashion", mnist.TEST_FILES, "fashion-mnist")]
    fashion = os.path.join("data", "fashion-mnist")  # its default place
    mnist.load_mnist_realval(fashion, dataset="fashion-mnist")
    mnist.load_training_data(None, np.random.RandomState(0))
    mnist.load_test_set("fashion-mnist", fashion, False)
    mnist.load_training_data(fashion, None, binarized=False,
                             dataset="fashion-mnist")
    assert fetched[4:] == [
        (fashion, mnist.TRAIN_FILES + mnist.TEST_FILES, "fashion-mnist"),
        ("data", mnist.TRAIN_FILES + mnist.TEST_FILES, "mnist"),
        (fashion, mnist.TEST_FILES, "fashion-mnist"),
        (fashion, mnist.TRAIN_FILES + mnist.TEST_FILES, "fashion-mnist")]
    os.mkfifo("pipe")
    assert _refusal(mnist.resolve_data_path, "pipe") == (
        "data path pipe is neither a file nor a directory; pass an MNIST "
        "file or directory.")


def test_an_error_is_a_clause_without_its_full_stop():
    assert mnist._reason(OSError("disk gone.")) == "disk gone"
    assert mnist._reason(EOFError()) == "EOFError"
    assert mnist._reason(ValueError(". leading dot")) == ". leading dot"
    assert mnist._reason(ValueError("space ")) == "space "
    assert mnist._reason(OSError("no such file: X.")) == "no such file: X"
