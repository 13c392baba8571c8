"""Running the notebooks as tests (`python -m pytest --nbmake notebooks`):
each runs top to bottom, small, on real images. The run-size variables
their first cells read are set here: a few epochs on a thousand of the
genuine MNIST test digits (../shared/data/mnist beside the checkout) and
of Debian's Fashion-MNIST, in a temporary directory. A notebook whose
images are not on this machine is skipped with the reason."""
import gzip
import os
import tempfile

import numpy as np
import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED_MNIST = os.path.join(REPO_ROOT, "..", "shared", "data", "mnist")
FASHION_MNIST = "/usr/share/datasets/fashion-mnist"


def _small_mnist(directory):
    """An MNIST directory of real digits: 1,500 to train, 500 to test."""
    def read(name, offset):
        with gzip.open(os.path.join(SHARED_MNIST, name)) as f:
            return np.frombuffer(f.read(), np.uint8, offset=offset)
    images = read("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)
    labels = read("t10k-labels-idx1-ubyte.gz", 8)
    parts = {"train-images-idx3-ubyte.gz": images[500:2000],
             "train-labels-idx1-ubyte.gz": labels[500:2000],
             "t10k-images-idx3-ubyte.gz": images[:500],
             "t10k-labels-idx1-ubyte.gz": labels[:500]}
    os.makedirs(directory)
    for name, array in parts.items():
        header = (0x800 + array.ndim).to_bytes(4, "big") + b"".join(
            d.to_bytes(4, "big") for d in array.shape)
        with gzip.open(os.path.join(directory, name), "wb") as f:
            f.write(header + array.tobytes())
    return directory


def pytest_configure(config):
    if not config.getoption("nbmake", default=False):
        return
    work = tempfile.mkdtemp(prefix="vae_digits_notebooks_")
    os.environ.update(VAE_DIGITS_EPOCHS="3", VAE_DIGITS_TRAIN_IMAGES="1000",
                      VAE_DIGITS_WORK_DIR=work,
                      VAE_DIGITS_FASHION_DATA=FASHION_MNIST,
                      # the labs notebook: a few images, temperatures, draws
                      VAE_DIGITS_LAB_IMAGES="12",
                      VAE_DIGITS_LAB_TEMPERATURES="3,20",
                      VAE_DIGITS_LAB_PARTICLES="200")
    if os.path.isdir(SHARED_MNIST):
        os.environ["VAE_DIGITS_DATA"] = _small_mnist(
            os.path.join(work, "mnist"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        if not str(item.fspath).endswith(".ipynb"):
            continue
        if "fashion" in os.path.basename(str(item.fspath)):
            if not os.path.isdir(FASHION_MNIST):
                item.add_marker(pytest.mark.skip(
                    reason=f"Fashion-MNIST is not in {FASHION_MNIST} (apt-get install "
                           "dataset-fashion-mnist)"))
        elif not os.path.isdir(SHARED_MNIST):
            item.add_marker(pytest.mark.skip(
                reason=f"the real MNIST digits are not in {SHARED_MNIST}"))
