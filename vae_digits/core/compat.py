"""The TensorFlow 1 graph-mode API that the whole package programs against.

ZhuSuan and the blog's script are TF1 graph programs. Importing `tf` from
here gives `tensorflow.compat.v1` with TF2 behaviour switched off, so that
every module builds graphs and runs them in sessions as the original did.

TensorFlow itself is imported on the first use of `tf`, not when a module
imports it, so the command lines check their inputs (and refuse a busy
directory) in a fraction of a second before paying for that import.
`when_imported(callback)` runs a callback with the module once it is in.

TensorFlow's C++ runtime writes start-up lines straight to the process's
stderr (absl's "All log messages before absl::InitializeLog()", oneDNN
and CUDA notices) that no logging setting silences. So the import runs
with file descriptor 2 held in a temporary file: a failed import shows
everything it printed, a successful one nothing. VAE_DIGITS_VERBOSE=1
shows them as they come.
"""
import os
import sys
import tempfile

# TensorFlow's C++ start-up chatter drowns the blog's printed lines.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# TensorFlow turns its oneDNN kernels on by default only on CPUs with
# AVX-512 or AMX; elsewhere (AVX2 laptops, this project's 2-core machines)
# its own float32 matrix products are slower (see docs/performance.md).
# TF_ENABLE_ONEDNN_OPTS=0 in the environment still turns them off.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")


def _import_tensorflow_quietly():
    """tensorflow.compat.v1, imported with stderr held (see above)."""
    if os.environ.get("VAE_DIGITS_VERBOSE", "") not in ("", "0"):
        import tensorflow.compat.v1 as tf
        return tf
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            import tensorflow.compat.v1 as tf
            # Devices are set up on first use: let that speak now too.
            tf.config.list_physical_devices()
        except BaseException:
            sys.stderr.flush()
            os.dup2(saved, 2)
            held.seek(0)
            sys.stderr.write(held.read().decode("utf-8", "replace"))
            raise
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
    return tf


_module = None
_callbacks = []


def _load():
    global _module
    if _module is None:
        module = _import_tensorflow_quietly()
        module.logging.set_verbosity(module.logging.ERROR)
        module.disable_v2_behavior()
        _module = module
        for callback in _callbacks:
            callback(module)
    return _module


def when_imported(callback):
    """Call `callback(tf)` once TensorFlow is imported (now if it is)."""
    if _module is not None:
        callback(_module)
    else:
        _callbacks.append(callback)


class _LazyTensorFlow:
    """tensorflow.compat.v1, imported on first attribute access."""

    def __getattr__(self, name):
        value = getattr(_load(), name)
        setattr(self, name, value)  # found directly from now on
        return value


tf = _LazyTensorFlow()

__all__ = ["tf", "when_imported"]
