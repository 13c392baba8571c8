"""Saving and restoring the session's variables, safe against crashes.

A checkpoint is first written by TensorFlow's Saver under a hidden name
(`.partial.vae.epoch.N.ckpt.*`), then renamed into place with its
`.index` last. Only a checkpoint whose index is in place counts, so a
process killed at any moment leaves either the complete new checkpoint
or none, and the earlier ones untouched. Restoring takes the newest
checkpoint that restores, and reports, with its cause, and skips (never
deletes) newer ones that do not (a newer save of the same epoch replaces
them); training, `vae_digits.load` and so every command do alike. The
`checkpoint` state file is kept up to date, so the
original script's `tf.train.latest_checkpoint` finds the newest one too.
"""
import errno
import glob
import os
import sys
import tempfile

from vae_digits.checkpoints.names import (
    checkpoint_path,
    complete_checkpoints,
    epoch_of,
)
from vae_digits.core.compat import tf
from vae_digits.core.errors import UserError, os_error_fix

__all__ = ["save_checkpoint", "restore_checkpoint", "restore_readable",
           "restore_newest", "failure_cause"]

PARTIAL_PREFIX = ".partial."
RESCANS = 10  # times a reader looks again at a directory being rotated


def save_checkpoint(sess, saver, checkpoint_dir, epoch, max_to_keep):
    """Write vae.epoch.`epoch`.ckpt atomically, then delete all but the
    newest `max_to_keep` checkpoints. Returns the checkpoint's path."""
    path = checkpoint_path(checkpoint_dir, epoch)
    partial = os.path.join(checkpoint_dir,
                           PARTIAL_PREFIX + os.path.basename(path))
    for leftover in glob.glob(os.path.join(
            glob.escape(checkpoint_dir), PARTIAL_PREFIX + "*")):
        os.remove(leftover)  # from a save that was killed
    try:
        saver.save(sess, partial, write_state=False)
    except tf.errors.OpError as e:
        for written in glob.glob(glob.escape(partial) + "*"):
            os.remove(written)
        cause, code = failure_cause(e, checkpoint_dir)
        fix = os_error_fix(code, "another --checkpoint-dir")
        raise UserError(f"cannot write checkpoint {path}: {cause}; {fix} "
                        "(earlier checkpoints are untouched).") from None
    try:
        if os.path.exists(path + ".index"):  # an older save of this epoch
            os.remove(path + ".index")
        written = sorted(glob.glob(glob.escape(partial) + ".*"),
                         key=lambda name: name.endswith(".index"))
        if not written or not written[-1].endswith(".index"):
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT),
                                    partial + ".index")
        for name in written:  # the index last: it makes the checkpoint count
            os.replace(name, path + name[len(partial):])
    except OSError as e:
        fix = os_error_fix(e.errno, "another --checkpoint-dir")
        raise UserError(f"cannot put checkpoint {path} in place: "
                        f"{e.strerror} ({e.filename}); {fix} (earlier "
                        "checkpoints are untouched).") from None
    kept = _delete_old_checkpoints(checkpoint_dir, epoch, max_to_keep)
    # Paths as they are reached from here: TensorFlow writes them relative
    # to the directory, so the blog's tf.train.latest_checkpoint(dir)
    # finds them whether `checkpoint_dir` is relative or absolute.
    tf.train.update_checkpoint_state(checkpoint_dir, path, kept)
    return path


def _delete_old_checkpoints(checkpoint_dir, epoch, max_to_keep):
    """Of the complete checkpoints up to `epoch`, delete all but the newest
    `max_to_keep`, each index first; returns the kept paths, oldest first.
    Later ones (skipped as unreadable) wait to be replaced."""
    paths = [path for path in complete_checkpoints(checkpoint_dir)
             if epoch_of(path) <= epoch]
    for old in paths[:-max_to_keep]:
        os.remove(old + ".index")
        for name in glob.glob(glob.escape(old) + ".*"):
            os.remove(name)
    return paths[-max_to_keep:]


def restore_checkpoint(sess, saver, path):
    """saver.restore, with a UserError naming why a checkpoint does not
    restore: its files are truncated or unreadable, or it holds another
    model's variables."""
    try:
        saver.restore(sess, path)
    except (tf.errors.OpError, ValueError) as e:
        cause = _restore_failure_cause(path, e)
        raise UserError(f"cannot restore {path}: {cause}") from e


def _restore_failure_cause(path, error):
    """Why `path` did not restore, as a clause and its fix. TensorFlow's
    message is often only 'Graph execution error:', so the checkpoint is
    read again, every tensor of it, to tell a damaged file from a
    checkpoint of something else, or from one that is gone."""
    if not os.path.exists(path + ".index"):
        return ("it was removed while it was read (a training run keeps "
                "only the newest --max-to-keep); load it again.")
    try:
        reader = tf.train.load_checkpoint(path)
        for name in reader.get_variable_to_shape_map():
            reader.get_tensor(name)
    except Exception as e:  # noqa: BLE001 (any failure to read is the cause)
        return (f"its files are truncated or unreadable "
                f"({_first_line(e).rstrip('.')}); delete it, or restore it "
                "from a copy.")
    return (f"it does not hold this model's variables "
            f"({_first_line(error).rstrip('.')}); pass a checkpoint of this "
            "model.")


def restore_readable(sess, saver, paths, rescan=None):
    """Restore the newest of `paths` that restores, with one line on
    stderr for each newer one that stays unreadable; returns its path.
    A checkpoint that vanished while it was read (a training run rotating
    the directory) is no fault of its files: with `rescan` (which lists
    the directory's checkpoints anew) the directory is looked at again,
    at most RESCANS times. UserError if none restores."""
    pending, tried, rescans = list(paths), set(), 0
    while pending:
        path = pending.pop()
        if path in tried:
            continue
        tried.add(path)
        try:
            restore_checkpoint(sess, saver, path)
            return path
        except UserError as e:
            if not os.path.exists(path + ".index") and rescan is not None \
                    and rescans < RESCANS:
                rescans += 1
                pending = [p for p in rescan() if p not in tried]
                continue
            if len(paths) == 1:
                raise
            print(f"warning: skipping checkpoint {path}: "
                  f"{str(e).split(': ', 1)[1]}", file=sys.stderr, flush=True)
    raise UserError(f"none of the {len(paths)} checkpoints in "
                    f"{os.path.dirname(paths[-1]) or '.'} can be read; move "
                    "them away to train afresh.")


def restore_newest(sess, saver, checkpoint_dir):
    """Restore the newest checkpoint in `checkpoint_dir` that restores,
    printing the blog's line (restore_readable). Returns the epoch
    restored, 0 if there is no checkpoint."""
    paths = complete_checkpoints(checkpoint_dir)
    if not paths:
        return 0
    path = restore_readable(sess, saver, paths)
    print(f"Restoring model from {path}...", flush=True)
    return epoch_of(path)


def failure_cause(error, directory):
    """(the reason a save failed, its errno or None). TensorFlow's message
    may be empty of it ('Graph execution error:'), so the OS reason is
    searched in the whole text and, failing that, asked of the directory
    itself."""
    text = str(getattr(error, "message", error))
    for code in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES,
                 errno.EPERM, errno.ENOENT, errno.EIO):
        if os.strerror(code) in text:
            return os.strerror(code), code
    try:
        with tempfile.TemporaryFile(dir=directory) as probe:
            probe.write(b"\0" * (1 << 20))
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as e:
        return e.strerror, e.errno
    lines = [line.strip() for line in text.splitlines() if line.strip()
             and not line.strip().startswith("Graph execution error")]
    return (lines[0] if lines else type(error).__name__), None


def _first_line(error):
    text = str(getattr(error, "message", error)).strip()
    return text.splitlines()[0] if text else type(error).__name__
