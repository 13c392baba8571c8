"""The formats `python -m vae_digits.export` writes, and the export itself:
where it goes by default, the checks on --output before any work starts,
and the write, whole or not at all.

A format is a `Format`: its name, whether it is one file or a directory,
how many test images it shows by default (0: none), how to open it, and
its writer, one function `write(vae, path, test_set, **options) -> str`
that fills `path` (a temporary file, or an empty temporary directory,
renamed into place once the writer returns) and says in a few words
what it wrote; `options` are the names of the keyword arguments it
takes beside those. A format whose writer is None is listed but not
built yet.
"""
from __future__ import annotations

import dataclasses
import os
import shlex
from typing import Callable

import numpy as np

from vae_digits import data
from vae_digits.checkpoints.saving import failure_cause
from vae_digits.core import config
from vae_digits.core.compat import tf
from vae_digits.core.errors import UserError, os_error_fix
from vae_digits.core.files import atomic_directory, atomic_path, check_writable_directory
from vae_digits.data import catalog
from vae_digits.sharing.html import write_html
from vae_digits.sharing.projector import write_projector
from vae_digits.sharing.savedmodel import write_savedmodel
from vae_digits.trained import load

__all__ = ["Format", "FORMATS", "DEFAULT", "default_output", "check_output",
           "read_test_set", "export", "not_built"]


@dataclasses.dataclass(frozen=True)
class Format:
    """An export format (see above): `opening` says how to open the
    result, with {output} where its path goes ({quoted}: quoted for a
    shell)."""

    name: str
    is_directory: bool
    test_images: int
    opening: str
    write: Callable[..., str] | None = None
    options: tuple[str, ...] = ()


FORMATS = {f.name: f for f in (
    Format("html", False, config.HTML_IMAGES,
           "open it in a browser, offline too, or send it: it needs no "
           "server (see docs/sharing.md)", write_html, ("float16",)),
    Format("savedmodel", True, 0,
           "load it with tf.saved_model.load({output!r}) or serve it with "
           "TensorFlow Serving (see docs/sharing.md)", write_savedmodel),
    Format("projector", True, config.PROJECTOR_IMAGES,
           "see it in the Projector tab of `tensorboard --logdir {quoted}`",
           write_projector),
)}
DEFAULT = "html"


def default_output(export_dir: str, checkpoint: str, name: str) -> str:
    """Where format `name` of `checkpoint` goes by default: in
    `export_dir`, named as the checkpoint with the format for .ckpt, e.g.
    vae.epoch.1000.savedmodel."""
    stem = os.path.basename(checkpoint)
    if stem.endswith(".ckpt"):
        stem = stem[:-len(".ckpt")]
    return os.path.join(export_dir, f"{stem}.{name}")


def check_output(output: str) -> None:
    """UserError unless `output` is a new name in a directory this process
    can write (or create)."""
    if os.path.lexists(output):
        raise UserError(f"--output {output} already exists; remove it to "
                        "export again, or pass another --output.")
    check_writable_directory("the directory of --output",
                             os.path.dirname(os.path.abspath(output)),
                             create=False)


def read_test_set(dataset: str, data_path: str, n_images: int
                  ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The first `n_images` test images of `dataset` at `data_path`
    (grey levels, [n, 784]), their labels and the class names."""
    images, labels = data.load_test_set(dataset, data_path, binarized=False)
    return (images[:n_images], labels[:n_images],
            list(catalog.get(dataset).class_names))


def export(path: str, name: str, output: str | None, export_dir: str,
           test_set: tuple | None = None, seed: int | None = None,
           **options) -> str:
    """Load the model at `path` and write it in format `name` to `output`
    (None: default_output in `export_dir`), passing its writer `options`;
    returns the line that says what was written and how to open it."""
    export_format = FORMATS[name]
    if export_format.write is None:
        raise UserError(not_built(name) + ".")
    with load(path, seed=seed) as vae:
        output = output or default_output(export_dir, vae.checkpoint, name)
        check_output(output)
        atomic = atomic_directory if export_format.is_directory \
            else atomic_path
        with atomic(output) as partial:
            what = _write(export_format, vae, partial, test_set, output,
                          options)
    opening = export_format.opening.format(output=output,
                                           quoted=shlex.quote(output))
    return f"Wrote {what} of {vae.checkpoint} to {output}; {opening}"


def _write(export_format, vae, partial, test_set, output, options):
    """export_format.write, its TensorFlow errors (a SavedModel's or a
    checkpoint's write) turned into a UserError naming the cause."""
    try:
        return export_format.write(vae, partial, test_set, **options)
    except tf.errors.OpError as e:
        cause, code = failure_cause(e, os.path.dirname(partial))
        fix = os_error_fix(code, "another --output")
        raise UserError(f"cannot write {output}: {cause}; {fix}.") from None


def not_built(name: str) -> str:
    """What to say of a format that is not built yet."""
    built = [f.name for f in FORMATS.values() if f.write is not None]
    return (f"--format {name} is not built yet; pass --format "
            f"{' or --format '.join(built)}")
