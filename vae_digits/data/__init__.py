"""The images the models learn from: MNIST and Fashion-MNIST.

Layer 2: imports `core` only.
- catalog: the datasets, their class names and default paths;
- mnist: reading MNIST-format files as ZhuSuan's examples did, checked;
- download: fetching missing files from their published mirrors, safely.
"""
from vae_digits.data.mnist import (
                                   binarize,
                                   binarize_each,
                                   default_digits,
                                   load_mnist_realval,
                                   load_mnist_test,
                                   load_test_set,
                                   load_training_data,
                                   resolve_data_path,
                                   select_digits,
)

__all__ = ["load_mnist_realval", "load_mnist_test", "load_training_data",
           "load_test_set", "resolve_data_path", "select_digits",
           "default_digits", "binarize", "binarize_each"]
