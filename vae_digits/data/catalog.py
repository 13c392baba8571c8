"""The image sets the models train on, both in MNIST's IDX layout.

`--dataset mnist` (the default) or `--dataset fashion-mnist`: their class
names (for the pictures' legends) and where each is read from when no
--data-path is given. The download locations and checksums are in
download.py.
"""
import collections
import os

from vae_digits.core.config import DATA_DIR
from vae_digits.core.errors import UserError

__all__ = ["Dataset", "DATASETS", "DEFAULT", "get", "default_data_path"]

Dataset = collections.namedtuple("Dataset", ["name", "class_names",
                                             "default_paths"])

DATASETS = collections.OrderedDict((d.name, d) for d in (
    Dataset("mnist", tuple(str(digit) for digit in range(10)), (DATA_DIR,)),
    # Debian's dataset-fashion-mnist puts the files in /usr/share/datasets.
    Dataset("fashion-mnist",
            ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
             "Shirt", "Sneaker", "Bag", "Ankle boot"),
            ("/usr/share/datasets/fashion-mnist",
             os.path.join(DATA_DIR, "fashion-mnist"))),
))
DEFAULT = "mnist"


def get(name):
    """The Dataset called `name`; a UserError naming the others."""
    if name not in DATASETS:
        raise UserError(f"unknown dataset {name!r}; choose one of "
                        f"{', '.join(DATASETS)}.")
    return DATASETS[name]


def default_data_path(name):
    """The first of the dataset's default paths that exists, else the last
    (where a download puts the files)."""
    paths = get(name).default_paths
    for path in paths[:-1]:
        if os.path.isdir(path):
            return path
    return paths[-1]
