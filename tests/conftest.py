"""Fixtures: a small real-digit MNIST directory built from ../shared/data."""
import os

import pytest

import vae_digits
from tests.helpers import SHARED_MNIST, read_real_test_digits, write_idx_dir

N_TRAIN_IMAGES = 1200  # split 5:1 into 1,000 train + 200 valid
N_TEST_IMAGES = 500


@pytest.fixture(scope="session")
def small_mnist(tmp_path_factory):
    """500 real test digits (the first of the MNIST test set, so the blog's
    digit indices name the digits 0..9) and 1,200 other real digits for
    training."""
    if not os.path.isdir(SHARED_MNIST):
        pytest.skip(f"real MNIST digits not found at {SHARED_MNIST}")
    images, labels = read_real_test_digits()
    directory = str(tmp_path_factory.mktemp("small_mnist"))
    test = slice(0, N_TEST_IMAGES)
    train = slice(N_TEST_IMAGES, N_TEST_IMAGES + N_TRAIN_IMAGES)
    return write_idx_dir(directory, images[train], labels[train],
                         images[test], labels[test])


@pytest.fixture(scope="session")
def trained_conditional(tmp_path_factory):
    """A conditional model that draws the digits asked for: 60 epochs on
    the first 8,000 real test digits (73 steps each), the last 2,000 its
    test set."""
    if not os.path.isdir(SHARED_MNIST):
        pytest.skip(f"real MNIST digits not found at {SHARED_MNIST}")
    images, labels = read_real_test_digits()
    root = tmp_path_factory.mktemp("conditional_60")
    data = write_idx_dir(str(root / "data"), images[:8000], labels[:8000],
                         images[8000:], labels[8000:])
    checkpoint_dir = vae_digits.train(
        model="conditional", epochs=60, save_freq=60, seed=1,
        data_path=data, checkpoint_dir=root / "c", result_dir=root / "r")
    return dict(checkpoint_dir=checkpoint_dir, data=data)


def train_for_the_server(tmp_path_factory, small_mnist, model):
    """A `model` of 2 epochs on the small set, for the explore server."""
    root = tmp_path_factory.mktemp(f"explore_{model}")
    return vae_digits.train(model=model, epochs=2, seed=2,
                            data_path=small_mnist,
                            checkpoint_dir=root / "checkpoints",
                            result_dir=root / "results")


@pytest.fixture(scope="session")
def served_conv_dir(tmp_path_factory, small_mnist):
    return train_for_the_server(tmp_path_factory, small_mnist, "conv")


@pytest.fixture(scope="session")
def served_mlp_dir(tmp_path_factory, small_mnist):
    return train_for_the_server(tmp_path_factory, small_mnist, "mlp")


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for the module's tests (skipped without it)."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright for Python is not "
        "installed (pip install -e \".[test]\")")
    from tests.browser import launch
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def conv_server(served_conv_dir):
    """The explore server of the conv model, for the module's tests."""
    from tests.helpers import ExploreServer
    server = ExploreServer("--checkpoint-dir", served_conv_dir)
    yield server
    server.stop()
