"""Files written whole or not at all: a temporary file beside the target,
renamed over it only when complete, so a crash or an error never leaves
a half-written checkpoint config, image, log or download behind."""
import contextlib
import os
import tempfile

__all__ = ["atomic_path"]


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
    finally:
        if os.path.exists(partial):
            os.remove(partial)
