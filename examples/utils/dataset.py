"""`load_mnist_realval`, as ZhuSuan's examples.utils.dataset."""
from vae_digits.data import load_mnist_realval

__all__ = ["load_mnist_realval"]
