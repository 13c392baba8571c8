"""Keeping a long training run's resident memory flat.

Two things made it creep up by a few MB every hundred epochs, most with
each save:
- garbage in reference cycles (a matplotlib figure, with its canvas and
  its artists, is one) outlives its epoch: Python collects the oldest
  generation only once it has grown by a quarter, and next to
  TensorFlow's graph that is rarely, and a full collection is slow
  (about 0.4 s on two cores);
- glibc's malloc keeps memory that was freed: TensorFlow's threads each
  take an arena (up to eight a core), and once a large block has been
  freed, malloc serves blocks of that size (up to 32 MB: a variable's
  copy, a checkpoint's buffers) from those arenas instead of the system,
  where they come back in pieces the process holds on to; a save added
  steps of several MB.
`steady()`, around the epochs, collects once and freezes what is alive
then (the graph, the session, the data: gc.freeze), so that a
collection after each epoch looks at that epoch's objects only (a few
ms), caps malloc's arenas at one a core and has blocks of MMAP_THRESHOLD
or more always mapped from the system and unmapped when freed;
`release()`, after each epoch, collects and hands free memory back to
the system (malloc_trim). The settings of malloc stay for the process.
Without glibc only the collections are done. Measured by benchmarks/memory_growth.py
(docs: performance.md).
"""
import contextlib
import ctypes
import gc
import os

__all__ = ["steady", "release"]

_M_MMAP_THRESHOLD, _M_ARENA_MAX = -3, -8  # mallopt's, from malloc.h
MMAP_THRESHOLD = 1 << 20  # bytes


def _glibc():
    """The C library if it has glibc's mallopt and malloc_trim, else
    None."""
    try:
        libc = ctypes.CDLL(None)
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and \
        hasattr(libc, "malloc_trim") else None


_LIBC = _glibc()


@contextlib.contextmanager
def steady():
    """Within the block, the objects alive at its start are left out of
    garbage collections; malloc makes at most one arena a core and maps
    blocks of MMAP_THRESHOLD or more from the system."""
    if _LIBC is not None:
        _LIBC.mallopt(_M_ARENA_MAX, max(2, os.cpu_count() or 2))
        _LIBC.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()  # collectable again once the run is dropped


def release() -> None:
    """Free the garbage of the last epoch and give the memory malloc holds
    free back to the system."""
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
