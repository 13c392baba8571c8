"""Files written whole or not at all, and directories checked before
work starts.

`atomic_path` writes through a temporary file beside the target, renamed
over it only when complete, so a crash or an error never leaves a
half-written checkpoint config, image, log or download behind;
`atomic_directory` does the same for a directory of files (an export),
and never replaces one that is there.
"""
import contextlib
import errno
import os
import shutil
import tempfile

from vae_digits.core.errors import UserError

__all__ = ["atomic_path", "atomic_directory", "write_bytes",
           "check_directory", "check_writable_directory"]


@contextlib.contextmanager
def atomic_path(destination):
    """Yield a temporary path in the directory of `destination` (created if
    needed); when the block ends without error it replaces `destination`,
    otherwise it is removed."""
    directory = os.path.dirname(os.path.abspath(destination))
    os.makedirs(directory, exist_ok=True)
    fd, partial = tempfile.mkstemp(
        prefix="." + os.path.basename(destination) + ".", suffix=".part",
        dir=directory)
    os.close(fd)
    # mkstemp makes the file private; give it the mode open() would
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(partial, 0o666 & ~umask)
    try:
        yield partial
        os.replace(partial, destination)
    except OSError as e:
        if e.filename is None:  # a write's error names no file: this one
            e.filename = destination
        raise
    finally:
        if os.path.exists(partial):
            os.remove(partial)


@contextlib.contextmanager
def atomic_directory(destination):
    """Yield an empty temporary directory beside `destination` (its parent
    created if needed); when the block ends without error it is renamed
    to `destination`, otherwise removed with what was written in it. A
    `destination` that exists by then is left as it is: FileExistsError."""
    parent = os.path.dirname(os.path.abspath(destination))
    os.makedirs(parent, exist_ok=True)
    partial = tempfile.mkdtemp(prefix="." + os.path.basename(destination)
                               + ".", suffix=".part", dir=parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(partial, 0o777 & ~umask)  # mkdtemp's is private
    try:
        yield partial
        if os.path.lexists(destination):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST),
                                  destination)
        os.rename(partial, destination)
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def write_bytes(destination, content):
    """Write `content` to `destination` whole or not at all. Files are
    encoded in memory first (a PNG, a GIF), so that a failed write is one
    OSError of ours, never one inside a library's file object."""
    with atomic_path(destination) as partial, open(partial, "wb") as f:
        f.write(content)


def check_directory(flag, path):
    """UserError if `path`, given as `flag`, exists and is no directory."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise UserError(f"{flag} {path} is a file, not a directory; pass a "
                        "directory.")


def check_writable_directory(flag, path, create=True):
    """check_directory, then make sure a file can be written in `path`
    (created here unless `create` is False: training creates its
    directories only once it holds their locks): better now than after an
    hour of training."""
    check_directory(flag, path)
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        raise UserError(f"{flag} {os.fsencode(path)!r} is not a UTF-8 name, "
                        "which TensorFlow's writers need; pass another "
                        "directory.") from None
    try:
        if create:
            os.makedirs(path, exist_ok=True)
            with tempfile.TemporaryFile(dir=path):
                pass
        else:
            _check_creatable(path)
    except OSError as e:
        raise UserError(f"cannot write to {flag} {path} "
                        f"({e.strerror or e}); pass a writable "
                        "directory.") from None


def _check_creatable(path):
    """OSError unless `path` exists or its nearest existing parent is a
    directory this process may create entries in."""
    existing = os.path.abspath(path)
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        raise NotADirectoryError(errno.ENOTDIR, f"{existing} is a file")
    if not os.access(existing, os.W_OK | os.X_OK):
        read_only = os.statvfs(existing).f_flag & os.ST_RDONLY
        raise PermissionError(errno.EACCES, os.strerror(
            errno.EROFS if read_only else errno.EACCES))
