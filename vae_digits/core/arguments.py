"""The types of the package's arguments, shared by the command lines and
the models' hyperparameters: each parses a flag's text and names what it
must be. Every count, seed, dimension and size has a range, checked as
the flags are parsed, before TensorFlow is imported (docs/reliability.md
lists them)."""
import argparse
import math

from vae_digits.core import config

__all__ = ["positive_int", "non_negative_int", "finite_float",
           "positive_float", "non_negative_float", "at_least_two",
           "digit_label", "port"]


def _number(kind, accept, requirement):
    """An argparse type: text parsed by `kind`, kept if `accept(value)`."""
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not accept(value):
            raise argparse.ArgumentTypeError(
                f"must be {requirement}, got {text!r}")
        return value
    return parse


_AT_LEAST = {0: "0 or a positive integer", 1: "a positive integer",
             2: "an integer of at least 2"}


def int_range(low, high):
    """An argparse type: a whole number from `low` to `high`; the error
    names the bound that was crossed."""
    at_least = _number(int, lambda v: v >= low, _AT_LEAST.get(
        low, f"an integer of at least {low:,}"))

    def parse(text):
        value = at_least(text)
        if value > high:
            raise argparse.ArgumentTypeError(
                f"must be at most {high:,}, got {text!r}")
        return value
    return parse


positive_int = _number(int, lambda v: v >= 1, "a positive integer")
non_negative_int = _number(int, lambda v: v >= 0, "0 or a positive integer")
finite_float = _number(float, math.isfinite, "a finite number")
positive_float = _number(float, lambda v: math.isfinite(v) and v > 0,
                         "a positive number")
non_negative_float = _number(float, lambda v: math.isfinite(v) and v >= 0,
                             "0 or a positive number")
at_least_two = _number(int, lambda v: v >= 2, "an integer of at least 2")
digit_label = _number(int, lambda v: 0 <= v < config.N_CLASSES,
                      "a digit 0-9")
port = _number(int, lambda v: 0 <= v <= 65535, "a port number 0-65535")
seed = int_range(0, 2 ** 32 - 1)  # what numpy's RandomState takes
latent_dim = int_range(1, 4096)  # z_dim: 4,096 is far beyond any use
epochs = int_range(1, 1_000_000)
batch_size = int_range(1, 100_000)
image_count = int_range(1, 10_000_000)  # --train-images
frequency = int_range(1, 1_000_000)  # --save-freq, --max-to-keep
test_frequency = int_range(0, 1_000_000)
particles = int_range(1, 1_000_000)  # drawn in bounded chunks
chains = int_range(1, config.MAX_CHAINS)  # evaluate --method ais|bdmc
temperatures = int_range(1, config.MAX_TEMPERATURES)
leapfrogs = int_range(1, config.MAX_LEAPFROGS)
samples_per_image = int_range(1, 10_000)  # generate --n-samples
grid_size = int_range(2, 100)  # generate --grid-size: 10,000 images
steps = int_range(2, 1_000)  # generate --steps
scale = int_range(1, config.MAX_SCALE)  # generate --scale
projector_images = int_range(1, config.MAX_PROJECTOR_IMAGES)  # export --images
def std_noise(text):
    """--std-noise: a finite number from -10 to 10."""
    value = finite_float(text)
    if not -10. <= value <= 10.:
        raise argparse.ArgumentTypeError(
            f"must lie in [-10, 10], got {text!r}")
    return value



grid_range = _number(float, lambda v: math.isfinite(v) and 0 < v <= 1e6,
                     "a positive number up to 1e6")
