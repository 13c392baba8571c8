"""Checking what a user hands a trained model (model.py): images, codes,
labels and counts, each turned into the array the graph is fed, or a
ValueError / TypeError of one sentence naming what was expected.

No TensorFlow error ever reaches a user of `vae_digits.load`: every
argument is checked here first.
"""
import numbers

import numpy as np

from vae_digits.core.config import IMAGE_SHAPE, N_CLASSES, X_DIM

__all__ = ["images", "one_image", "codes", "labels", "count", "finite_number",
           "seed_rng"]


def _numbers(value, what):
    """`value` as a float64 array; TypeError if it is not numbers."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{what} must be numbers, got a string.")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be an array of numbers (a list of lists "
                        f"or a numpy array), got {type(value).__name__}.") from None
    return array


def _finite(array, what):
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{what} must not hold NaN or infinite values; pass "
                         "finite numbers.")


def images(value, what="images"):
    """[n, 784] float32 of images given as [n, 28, 28], [n, 784] or one
    [28, 28] image, with pixel values in [0, 1]."""
    array = _numbers(value, what)
    if array.shape == IMAGE_SHAPE:
        array = array[None]
    if array.ndim == 3 and array.shape[1:] == IMAGE_SHAPE:
        array = array.reshape(len(array), X_DIM)
    if array.ndim != 2 or array.shape[1] != X_DIM:
        raise ValueError(f"{what} must have shape [n, 28, 28] (or one [28, 28] "
                         f"image, or [n, 784]), got {list(array.shape)}.")
    _finite(array, what)
    if array.size and (array.min() < 0. or array.max() > 1.):
        raise ValueError(f"{what} must hold pixel values in [0, 1], got values "
                         f"from {array.min():g} to {array.max():g}; divide 8-bit images by 255.")
    return array.astype(np.float32)


def one_image(value, what="image"):
    """[1, 784] float32 of exactly one image ([28, 28], [1, 28, 28] or
    [784])."""
    array = _numbers(value, what)
    if array.shape == (X_DIM,):
        array = array[None]
    result = images(array, what)
    if len(result) != 1:
        raise ValueError(f"{what} must be one image of shape [28, 28], got {len(result)} "
                         "images.")
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
    if n_labels:
        probabilities = array[:, code_dim - n_labels:]
        if probabilities.size and (probabilities.min() < 0. or
                                   probabilities.max() > 1.):
            raise ValueError(f"the last {n_labels} values of each of {what} are class "
                             "probabilities and must lie in [0, 1].")
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
        raise ValueError(f"{what} must be whole numbers from 0 to {N_CLASSES - 1}, got {value}.")
    return [int(label) for label in array]


def count(value, what, minimum=1):
    """A whole number of at least `minimum`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} must be a whole number, got {value!r}.")
    if value < minimum:
        raise ValueError(f"{what} must be at least {minimum}, got {value}.")
    return int(value)


def finite_number(value, what):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a number, got {value!r}.")
    if not np.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value}.")
    return float(value)


def seed_rng(seed):
    """A numpy RandomState from `seed`: None (fresh randomness), a whole
    number, or a RandomState, used as it is."""
    if isinstance(seed, np.random.RandomState):
        return seed
    if seed is not None:
        count(seed, "seed", minimum=0)
    return np.random.RandomState(seed)
