"""A long training run keeps its resident memory flat: the memory that
an epoch's buffers freed goes back to the system after every epoch
and each epoch's garbage is collected without a full collection's cost
(vae_digits.core.memory; the run measured by
benchmarks/memory_growth.py, docs: performance.md)."""
import contextlib
import gc
import types
import weakref

import numpy as np

from vae_digits.core import memory
from vae_digits.training import loop


def resident_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.
    raise AssertionError("no VmRSS")


def test_release_gives_freed_memory_back_to_the_system():
    """200 MB in blocks below malloc's mmap threshold, nine in ten freed:
    the kept tenth pins the heap's top, so only release returns them."""
    blocks = [np.ones(12_500) for _ in range(2000)]  # 100 kB each
    kept = blocks[::10]
    del blocks
    before = resident_mb()
    memory.release()
    assert before - resident_mb() > 100, (before, resident_mb())
    assert sum(block[0] for block in kept) == 200


def test_the_loop_gives_memory_back_after_every_epoch(monkeypatch):
    calls = []
    monkeypatch.setattr(memory, "release", lambda: calls.append("release"))
    monkeypatch.setattr(memory, "steady", _recording_steady(calls))
    monkeypatch.setattr(loop.Run, "train", lambda self, epoch, *_: (
        {"lower_bound": -1.}, 0.1))
    monkeypatch.setattr(loop.Run, "report", lambda self, epoch, *_: (
        calls.append(epoch)))
    monkeypatch.setattr(loop.Run, "save", lambda self, epoch: calls.append(
        f"save {epoch}"))
    session = types.SimpleNamespace(run=lambda fetches: [])
    vae = types.SimpleNamespace(hparams={})
    args = types.SimpleNamespace(epochs=3, save_freq=2)
    run = loop.Run(session, None, None, vae, None, None, args, None)
    run.epochs((np.zeros((4, 784)),), None, 0)
    assert calls == ["steady", 1, "release", 2, "save 2", "release", 3,
                     "save 3", "release", "end"]


def _recording_steady(calls):
    @contextlib.contextmanager
    def steady():
        calls.append("steady")
        yield
        calls.append("end")
    return steady


def test_steady_leaves_what_is_alive_out_of_collections_until_its_end():
    """Each epoch's collection looks at that epoch's objects only; the run's
    own, dropped after it, are collected again."""
    class Cycle:
        pass
    before = gc.get_freeze_count()
    with memory.steady():
        assert gc.get_freeze_count() > before
        cycle = Cycle()
        cycle.me = cycle
        alive = weakref.ref(cycle)
        del cycle
        memory.release()  # the epoch's garbage, a cycle, is freed
        assert alive() is None
    assert gc.get_freeze_count() == 0
