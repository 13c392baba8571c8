"""What a trained model's calls take, checked before any TensorFlow work
(trained/inputs.py): each accepted value comes back as the graph is fed
it, and each refused one is a TypeError or ValueError of one sentence
that names the argument, the rule and the value. The limits' edges are
accepted; one step beyond is refused."""
import fractions

import numpy as np
import pytest

from vae_digits.trained import inputs


def _refused(kind, call, *args, **kwargs):
    with pytest.raises(kind) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def test_images_come_back_as_rows_of_784_float32_pixels():
    rng = np.random.RandomState(0)
    grid = rng.rand(3, 28, 28)
    for given in (grid, grid.reshape(3, 784), grid.tolist()):
        got = inputs.images(given)
        assert got.dtype == np.float32 and got.shape == (3, 784)
        np.testing.assert_array_equal(got, grid.reshape(3, 784)
                                      .astype(np.float32))
    assert inputs.images(grid[0]).shape == (1, 784)
    assert inputs.images(np.zeros((0, 784))).shape == (0, 784)
    edges = np.zeros((1, 784))
    edges[0, 0] = 1.
    np.testing.assert_array_equal(inputs.images(edges), edges)
    assert inputs.images(np.ones((2, 784), bool)).sum() == 2 * 784


@pytest.mark.parametrize("value, kind, message", [
    (np.zeros((3, 10)), ValueError, "images must have shape [n, 28, 28] (or "
     "one [28, 28] image, or [n, 784]), got [3, 10]."),
    (np.zeros((2, 28, 27)), ValueError, "images must have shape [n, 28, 28] "
     "(or one [28, 28] image, or [n, 784]), got [2, 28, 27]."),
    (np.full((1, 784), np.nan), ValueError, "images must not hold NaN or "
     "infinite values; pass finite numbers."),
    (np.full((1, 784), 1e39), ValueError, "images must lie within float32's "
     "range (+-3.4e+38), got 1e+39."),
    (np.full((1, 784), 1.5), ValueError, "images must hold pixel values in "
     "[0, 1], got values from 1.5 to 1.5; divide 8-bit images by 255."),
    (np.full((1, 784), -0.5), ValueError, "images must hold pixel values in "
     "[0, 1], got values from -0.5 to -0.5; divide 8-bit images by 255."),
    ("0.5", TypeError, "images must be numbers, got a string."),
    (b"0.5", TypeError, "images must be numbers, got a string."),
    (np.zeros((1, 784), complex), TypeError, "images must be real numbers, "
     "got complex ones."),
    (np.full((1, 784), "1"), TypeError, "images must be an array of "
     "numbers, got values of type <U1."),
    ([[0.5] * 783 + [{}]], TypeError, "images must be an array of numbers "
     "(a list of lists or a numpy array), got list."),
    ([[0.5] * 784, [0.5]], TypeError, "images must be an array of numbers "
     "(a list of lists or a numpy array), got list."),
    ([[10 ** 400] * 784], ValueError, "images holds a number beyond float "
     "range; pass numbers within float32's."),
], ids=["shape", "3-d shape", "nan", "beyond float32", "above 1", "below 0",
        "string", "bytes", "complex", "text array", "a dict", "ragged",
        "huge integer"])
def test_odd_images_are_refused_by_name(value, kind, message):
    assert _refused(kind, inputs.images, value) == message


def test_one_image_is_exactly_one():
    pixels = np.linspace(0, 1, 784)
    for given in (pixels, pixels.reshape(28, 28), pixels.reshape(1, 28, 28)):
        np.testing.assert_array_equal(inputs.one_image(given),
                                      pixels[None].astype(np.float32))
    assert _refused(ValueError, inputs.one_image, np.zeros((2, 28, 28))) == \
        "image must be one image of shape [28, 28], got 2 images."
    assert _refused(TypeError, inputs.one_image, "x", "a") == \
        "a must be numbers, got a string."
    assert _refused(ValueError, inputs.one_image, np.zeros(3), "a") == (
        "a must have shape [n, 28, 28] (or one [28, 28] image, or [n, 784]), "
        "got [3].")
    assert _refused(TypeError, inputs.codes, "1", 2) == \
        "codes must be numbers, got a string."
    assert _refused(TypeError, inputs.labels, "1") == \
        "labels must be numbers, got a string."


def test_codes_come_back_as_rows_of_float32():
    np.testing.assert_array_equal(inputs.codes([-3., 7.5], 2),
                                  np.float32([[-3., 7.5]]))
    codes = np.column_stack([np.full(4, -5.), np.eye(4, 10)])
    codes[3, 1:] = 1.  # the edges of a probability: 0 and 1
    codes[2, 0] = -inputs.FLOAT32_MAX  # and of float32
    got = inputs.codes(codes, 11, n_labels=10)
    assert got.dtype == np.float32 and got.shape == (4, 11)
    np.testing.assert_array_equal(got, codes)


@pytest.mark.parametrize("value, code_dim, n_labels, message", [
    (np.zeros((2, 3)), 2, 0, "codes must have shape [n, 2] (z in 2 "
     "dimensions), got [2, 3]."),
    (np.zeros(3), 12, 10, "codes must have shape [n, 12] (z in 2 dimensions "
     "followed by the 10 class probabilities), got [3]."),
    ([[np.inf, 0.]], 2, 0, "codes must not hold NaN or infinite values; pass "
     "finite numbers."),
    ([[0.] * 11 + [1.5]], 12, 10, "the last 10 values of each of codes are "
     "class probabilities and must lie in [0, 1]."),
    ([[0.] * 2 + [-0.5] + [0.] * 9], 12, 10, "the last 10 values of each of "
     "codes are class probabilities and must lie in [0, 1]."),
    (np.zeros((0, 12)), 12, 10, "the number of codes must be at least 1, "
     "got 0."),
    (np.zeros((1_000_001, 2), np.float32), 2, 0, "the number of codes must "
     "be at most 1,000,000, got 1,000,001."),
], ids=["shape", "shape with labels", "infinite", "probability above 1",
        "probability below 0", "none", "too many"])
def test_odd_codes_are_refused_by_name(value, code_dim, n_labels, message):
    assert _refused(ValueError, inputs.codes, value, code_dim,
                    n_labels) == message


def test_labels_are_whole_numbers_from_0_to_9():
    assert inputs.labels(3) == [3]
    assert inputs.labels(np.array([0., 9.])) == [0, 9]
    assert all(type(label) is int for label in inputs.labels([0, 9]))
    for value, message in (
            ([], "labels must be one class or a list of classes, got shape "
                 "[0]."),
            ([[1]], "labels must be one class or a list of classes, got "
                    "shape [1, 1]."),
            (10, "labels must be whole numbers from 0 to 9, got 10."),
            ([-1, 2], "labels must be whole numbers from 0 to 9, got "
                      "[-1, 2]."),
            (2.5, "labels must be whole numbers from 0 to 9, got 2.5."),
            ([np.nan], "labels must be whole numbers from 0 to 9, got "
                       "[nan].")):
        assert _refused(ValueError, inputs.labels, value) == message


def test_a_count_is_a_whole_number_within_its_range():
    assert inputs.count(1, "n") == 1 and inputs.count(0, "n", 0) == 0
    assert type(inputs.count(np.int64(5), "n", maximum=5)) is int
    for value, kind, message in (
            (True, TypeError, "n must be a whole number, got True."),
            (2.0, TypeError, "n must be a whole number, got 2.0."),
            (0, ValueError, "n must be at least 1, got 0."),
            (1_000_001, ValueError, "n must be at most 1,000,000, got "
                                    "1,000,001.")):
        assert _refused(kind, inputs.count, value, "n",
                        maximum=1_000_000) == message


def test_no_call_returns_more_images_than_the_memory_free(monkeypatch):
    monkeypatch.setattr(inputs, "_free_memory", lambda: 784 * 4 * 1000)
    assert inputs.image_count(1000, "n") == 1000
    monkeypatch.setattr(inputs, "_free_memory", lambda: 2 ** 30)
    assert _refused(ValueError, inputs.image_count, 400_000, "n") == (
        "n is 400,000: 1.2 GiB of images, more than the 1.0 GiB of memory "
        "free; ask for fewer.")
    assert _refused(ValueError, inputs.image_count, 0, "n") == \
        "n must be at least 1, got 0."
    monkeypatch.setattr(inputs, "_free_memory", lambda: None)
    assert inputs.image_count(1_000_000, "n") == 1_000_000
    assert inputs.image_count(0, "n", minimum=0) == 0


def test_the_memory_free_is_what_the_system_says(monkeypatch):
    import os
    free = inputs._free_memory()
    assert free > 0 and free % os.sysconf("SC_PAGE_SIZE") == 0

    def unknown(name):
        raise ValueError(name)
    monkeypatch.setattr(os, "sysconf", unknown)
    assert inputs._free_memory() is None


def test_a_number_is_finite_and_within_its_range():
    assert inputs.finite_number(fractions.Fraction(1, 4), "x") == 0.25
    assert inputs.finite_number(0, "noise", 0, 10) == 0.
    assert inputs.finite_number(10, "noise", 0, 10) == 10.
    for value, kind, message in (
            (True, TypeError, "x must be a number, got True."),
            ("1", TypeError, "x must be a number, got '1'."),
            (10 ** 400, ValueError, "x is beyond float range; pass a number "
                                    "in [-3.40282e+38, 3.40282e+38]."),
            (float("nan"), ValueError, "x must be finite, got nan."),
            (-np.inf, ValueError, "x must be finite, got -inf."),
            (1e39, ValueError, "x must lie in [-3.40282e+38, 3.40282e+38], "
                               "got 1e+39.")):
        assert _refused(kind, inputs.finite_number, value, "x") == message
    assert _refused(ValueError, inputs.finite_number, 10.5, "noise", 0,
                    10) == "noise must lie in [0, 10], got 10.5."


def test_a_seed_gives_numpys_generator_for_it():
    rng = np.random.RandomState(3)
    assert inputs.seed_rng(rng) is rng
    np.testing.assert_array_equal(inputs.seed_rng(7).rand(5),
                                  np.random.RandomState(7).rand(5))
    top = inputs.MAX_SEED
    np.testing.assert_array_equal(inputs.seed_rng(top).rand(3),
                                  np.random.RandomState(top).rand(3))
    assert isinstance(inputs.seed_rng(None), np.random.RandomState)
    assert _refused(ValueError, inputs.seed_rng, -1) == \
        "seed must be at least 0, got -1."
    assert _refused(ValueError, inputs.seed_rng, 2 ** 32) == \
        "seed must be at most 4,294,967,295, got 4,294,967,296."
    assert _refused(TypeError, inputs.seed_rng, 1.5) == \
        "seed must be a whole number, got 1.5."
