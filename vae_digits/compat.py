"""The TensorFlow 1 graph-mode API that the whole package programs against.

ZhuSuan and the blog's script are TF1 graph programs. Importing `tf` from
here gives `tensorflow.compat.v1` with TF2 behaviour switched off, so that
every module builds graphs and runs them in sessions as the original did.
"""
import os

# TensorFlow's C++ start-up chatter drowns the blog's printed lines.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# TensorFlow turns its oneDNN kernels on by default only on CPUs with
# AVX-512 or AMX; elsewhere (AVX2 laptops, this project's 2-core machines)
# its own float32 matrix products are slower (see README, Performance).
# TF_ENABLE_ONEDNN_OPTS=0 in the environment still turns them off.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")

import tensorflow.compat.v1 as tf  # noqa: E402

tf.logging.set_verbosity(tf.logging.ERROR)
tf.disable_v2_behavior()

__all__ = ["tf"]
