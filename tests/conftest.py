"""Fixtures: a small real-digit MNIST directory built from ../shared/data."""
import os

import pytest

from tests.helpers import SHARED_MNIST, read_real_test_digits, write_idx_dir

N_TRAIN_IMAGES = 1200  # split 5:1 into 1,000 train + 200 valid
N_TEST_IMAGES = 500


@pytest.fixture(scope="session")
def small_mnist(tmp_path_factory):
    """500 real test digits (the first of the MNIST test set, so the blog's
    digit indices name the digits 0..9) and 1,200 other real digits for
    training."""
    if not os.path.isdir(SHARED_MNIST):
        pytest.skip("real MNIST digits not found at {}".format(SHARED_MNIST))
    images, labels = read_real_test_digits()
    directory = str(tmp_path_factory.mktemp("small_mnist"))
    test = slice(0, N_TEST_IMAGES)
    train = slice(N_TEST_IMAGES, N_TEST_IMAGES + N_TRAIN_IMAGES)
    return write_idx_dir(directory, images[train], labels[train],
                         images[test], labels[test])
