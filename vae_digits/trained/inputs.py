"""Checking what a user hands a trained model (model.py): images, codes,
labels, counts and numbers, each turned into what the graph is fed, or a
ValueError / TypeError of one sentence naming the argument and what it
must be.

No TensorFlow error ever reaches a user of `vae_digits.load`: every
argument is checked here first. Counts of images to return have a limit
(config.MAX_IMAGES_PER_CALL, and the memory the machine has free), so
that no call allocates without end.
"""
import numbers
import os

import numpy as np

from vae_digits.core.config import IMAGE_SHAPE, MAX_IMAGES_PER_CALL, N_CLASSES, X_DIM

__all__ = ["images", "one_image", "codes", "labels", "count",
           "image_count", "finite_number", "seed_rng", "MAX_SEED"]

FLOAT32_MAX = float(np.finfo(np.float32).max)
MAX_SEED = 2 ** 32 - 1  # numpy's RandomState takes seeds up to this


def _numbers(value, what):
    """`value` as a float64 array of real numbers: TypeError for strings,
    dates, complex or other non-numbers, ValueError for a number beyond
    float range."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{what} must be numbers, got a string.")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        raw = np.asarray(None)
    if raw.dtype.kind == "c":
        raise TypeError(f"{what} must be real numbers, got complex ones.")
    if raw.dtype.kind not in "biufO":
        raise TypeError(f"{what} must be an array of numbers, got values "
                        f"of type {raw.dtype}.")
    try:
        return np.asarray(value, dtype=np.float64)
    except OverflowError:
        raise ValueError(f"{what} holds a number beyond float range; pass "
                         "numbers within float32's.") from None
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be an array of numbers (a list of "
                        "lists or a numpy array), got "
                        f"{type(value).__name__}.") from None


def _finite(array, what):
    """ValueError unless every value is finite and within float32's range
    (the graph's type: a larger one would become infinite)."""
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{what} must not hold NaN or infinite values; pass "
                         "finite numbers.")
    if array.size and np.abs(array).max() > FLOAT32_MAX:
        raise ValueError(f"{what} must lie within float32's range "
                         f"(+-{FLOAT32_MAX:.3g}), got {np.abs(array).max():g}.")


def images(value, what="images"):
    """[n, 784] float32 of images given as [n, 28, 28], [n, 784] or one
    [28, 28] image, with pixel values in [0, 1]."""
    array = _numbers(value, what)
    if array.shape == IMAGE_SHAPE:
        array = array[None]
    if array.ndim == 3 and array.shape[1:] == IMAGE_SHAPE:
        array = array.reshape(len(array), X_DIM)
    if array.ndim != 2 or array.shape[1] != X_DIM:
        raise ValueError(f"{what} must have shape [n, 28, 28] (or one "
                         f"[28, 28] image, or [n, 784]), got "
                         f"{list(array.shape)}.")
    _finite(array, what)
    if array.size and (array.min() < 0. or array.max() > 1.):
        raise ValueError(f"{what} must hold pixel values in [0, 1], got "
                         f"values from {array.min():g} to {array.max():g}; "
                         "divide 8-bit images by 255.")
    return array.astype(np.float32)


def one_image(value, what="image"):
    """[1, 784] float32 of exactly one image ([28, 28], [1, 28, 28] or
    [784])."""
    array = _numbers(value, what)
    if array.shape == (X_DIM,):
        array = array[None]
    result = images(array, what)
    if len(result) != 1:
        raise ValueError(f"{what} must be one image of shape [28, 28], got "
                         f"{len(result)} images.")
    return result


def codes(value, code_dim, n_labels=0, what="codes"):
    """[n, code_dim] float32 of latent codes given as [n, code_dim] or one
    [code_dim] code; the last `n_labels` values of each are class
    probabilities, in [0, 1]."""
    array = _numbers(value, what)
    if array.ndim == 1 and array.shape[0] == code_dim:
        array = array[None]
    if array.ndim != 2 or array.shape[1] != code_dim:
        layout = f"z in {code_dim - n_labels} dimensions" + (
            f" followed by the {n_labels} class probabilities"
            if n_labels else "")
        raise ValueError(f"{what} must have shape [n, {code_dim}] ({layout}), "
                         f"got {list(array.shape)}.")
    _finite(array, what)
    image_count(len(array), f"the number of {what}")
    if n_labels:
        probabilities = array[:, code_dim - n_labels:]
        if probabilities.size and (probabilities.min() < 0. or
                                   probabilities.max() > 1.):
            raise ValueError(f"the last {n_labels} values of each of {what} "
                             "are class probabilities and must lie in "
                             "[0, 1].")
    return array.astype(np.float32)


def labels(value, what="labels"):
    """A list of digit classes 0-9 from one class or a sequence of them."""
    array = _numbers(value, what)
    if array.ndim == 0:
        array = array[None]
    if array.ndim != 1 or not array.size:
        raise ValueError(f"{what} must be one class or a list of classes, got "
                         f"shape {list(array.shape)}.")
    if not np.all(np.isfinite(array)) or np.any(array != np.round(array)) \
            or array.min() < 0 or array.max() >= N_CLASSES:
        raise ValueError(f"{what} must be whole numbers from 0 to "
                         f"{N_CLASSES - 1}, got {value}.")
    return [int(label) for label in array]


def count(value, what, minimum=1, maximum=None):
    """A whole number from `minimum` to `maximum` (None: no maximum)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} must be a whole number, got {value!r}.")
    if value < minimum:
        raise ValueError(f"{what} must be at least {minimum}, got {value}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{what} must be at most {maximum:,}, got "
                         f"{value:,}.")
    return int(value)


def image_count(value, what, minimum=1):
    """A count of images a call returns: at most MAX_IMAGES_PER_CALL, and
    no more than fit in the memory the machine has free."""
    n = count(value, what, minimum, MAX_IMAGES_PER_CALL)
    free = _free_memory()
    if free is not None and n * X_DIM * 4 > free:
        raise ValueError(f"{what} is {n:,}: {n * X_DIM * 4 / 2**30:.1f} GiB "
                         f"of images, more than the {free / 2**30:.1f} GiB of "
                         "memory free; ask for fewer.")
    return n


def _free_memory():
    """Bytes of memory free (Linux), or None where it cannot be told."""
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def finite_number(value, what, low=-FLOAT32_MAX, high=FLOAT32_MAX):
    """A real number from `low` to `high` (by default float32's range)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a number, got {value!r}.")
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(f"{what} is beyond float range; pass a number in "
                         f"[{low:g}, {high:g}].") from None
    if not np.isfinite(number):
        raise ValueError(f"{what} must be finite, got {value}.")
    if not low <= number <= high:
        raise ValueError(f"{what} must lie in [{low:g}, {high:g}], got "
                         f"{number:g}.")
    return number


def seed_rng(seed):
    """A numpy RandomState from `seed`: None (fresh randomness), a whole
    number from 0 to 2**32 - 1, or a RandomState, used as it is."""
    if isinstance(seed, np.random.RandomState):
        return seed
    if seed is not None:
        count(seed, "seed", minimum=0, maximum=MAX_SEED)
    return np.random.RandomState(seed)
