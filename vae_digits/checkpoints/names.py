"""Checkpoint names: `vae.epoch.N.ckpt`, as the blog's script wrote them;
which are complete, the newest one, the one to restore. Nothing here
imports TensorFlow, so the command lines check their inputs before paying
for that import.
"""
import glob
import os
import re

from vae_digits.core.config import CHECKPOINT_PREFIX
from vae_digits.core.errors import UserError

__all__ = ["checkpoint_path", "epoch_of", "complete_checkpoints",
           "latest_checkpoint", "resolve_checkpoint"]

_EPOCH_PATTERN = re.compile(r"vae\.epoch\.(\d+)\.ckpt$")


def checkpoint_path(checkpoint_dir, epoch):
    return os.path.join(checkpoint_dir, CHECKPOINT_PREFIX.format(epoch))


def epoch_of(path, strict=True):
    """The epoch N of a checkpoint named like vae.epoch.N.ckpt; for another
    name a UserError, or None if not `strict`."""
    match = _EPOCH_PATTERN.search(path)
    if match is None and not strict:
        return None
    if match is None:
        raise UserError(f"cannot tell the epoch of checkpoint {path}: its name "
                        "must end in vae.epoch.N.ckpt.")
    return int(match.group(1))


def complete_checkpoints(checkpoint_dir):
    """Paths of the checkpoints in `checkpoint_dir` whose index is in place
    (the last file a save writes), oldest epoch first."""
    indexes = glob.glob(os.path.join(glob.escape(checkpoint_dir),
                                     "vae.epoch.*.ckpt.index"))
    matches = (_EPOCH_PATTERN.search(index[:-len(".index")])
               for index in indexes)
    epochs = sorted(int(match.group(1)) for match in matches if match)
    return [checkpoint_path(checkpoint_dir, epoch) for epoch in epochs]


def latest_checkpoint(checkpoint_dir):
    """The checkpoint of the highest epoch in `checkpoint_dir`, or None."""
    paths = complete_checkpoints(checkpoint_dir)
    return paths[-1] if paths else None


def resolve_checkpoint(checkpoint_dir, checkpoint=None):
    """The checkpoint to restore: `checkpoint` if given, else the newest in
    `checkpoint_dir`. UserError if there is none."""
    if checkpoint is not None:
        if checkpoint.endswith(".index"):
            checkpoint = checkpoint[:-len(".index")]
        if not os.path.isfile(checkpoint + ".index"):
            example = checkpoint_path(checkpoint_dir, 100)
            raise UserError(f"no checkpoint {checkpoint} (its .index file is "
                            f"missing); pass a path like {example}.")
        return checkpoint
    latest = latest_checkpoint(checkpoint_dir)
    if latest is None:
        raise UserError(f"no checkpoint in {checkpoint_dir}: train first with `python -m "
                        "vae_digits.train`, or pass --checkpoint-dir.")
    return latest
