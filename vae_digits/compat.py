"""The TensorFlow 1 graph-mode API that the whole package programs against.

ZhuSuan and the blog's script are TF1 graph programs. Importing `tf` from
here gives `tensorflow.compat.v1` with TF2 behaviour switched off, so that
every module builds graphs and runs them in sessions as the original did.
"""
import os

# TensorFlow's C++ start-up chatter drowns the blog's printed lines.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow.compat.v1 as tf  # noqa: E402

tf.logging.set_verbosity(tf.logging.ERROR)
tf.disable_v2_behavior()

__all__ = ["tf"]
