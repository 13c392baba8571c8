"""The test images the pictures show: `0.png` ... `9.png`,
`reconstructions.png`, `reconstructions_by_epoch.png`, the notebooks'
chosen digits and the page's noise slider.

The blog drew the MNIST test images 3, 2, 1, 90, 95, 23, 11, 0, 84, 7,
which are the digits 0, 1, ..., 9 of the official test set. They are
used wherever the test labels say so; any other test set (a held-out
split, a user's own digits) gets the first test image of each digit
instead, and one printed line says so.
"""
import numpy as np

from vae_digits.core.config import DIGITS, N_CLASSES
from vae_digits.core.errors import UserError

__all__ = ["default_digits", "select_digits"]


def default_digits(dataset: str, t_test, quiet: bool = False) -> list:
    """Indices of the test images drawn by default, one per class in
    class order: the blog's where `t_test` (integer labels; None: not
    known) says they are MNIST's 0..9, otherwise the first test image of
    each class; for MNIST, that change is printed in one line unless
    `quiet`."""
    if dataset == "mnist" and _blog_digits_hold(t_test):
        return list(DIGITS)
    firsts = [int(np.argmax(t_test == k)) for k in range(N_CLASSES)
              if np.any(t_test == k)]
    if dataset == "mnist" and not quiet:
        print(f"note: the blog's test images {', '.join(map(str, DIGITS))} "
              f"are not the digits 0-9 in this test set; drawing the first "
              f"test image of each digit instead: "
              f"{', '.join(map(str, firsts))}.", flush=True)
    return firsts


def _blog_digits_hold(t_test):
    """Whether the blog's indices are the digits 0..9 in `t_test`
    (labels not known: assumed, as the blog did)."""
    if t_test is None:
        return True
    labels = np.asarray(t_test)
    return len(labels) > max(DIGITS) and \
        labels[list(DIGITS)].tolist() == list(range(N_CLASSES))


def select_digits(x_test, indices):
    """The test images at `indices`, checked to lie inside the test set."""
    for index in indices:
        if not 0 <= index < len(x_test):
            raise UserError(f"digit index {index} is outside the test set of {len(x_test)} "
                            f"digits; choose indices 0..{len(x_test) - 1}.")
    return x_test[list(indices)]
