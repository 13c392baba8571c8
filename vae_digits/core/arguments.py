"""The types of the package's arguments, shared by the command lines and
the models' hyperparameters: each parses a flag's text and names what it
must be."""
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
