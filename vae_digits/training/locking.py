"""One training run per directory.

A training run holds an exclusive lock (`fcntl.flock`) on a `.lock` file
in its checkpoint directory and in its result directory for its whole
life, with its pid written in the file. The kernel releases the lock when
the process ends however it ends, SIGKILL included, so a lock never needs
cleaning by hand; the file stays. A second run on either directory is
refused in one line naming the holder. `generate` and `evaluate` take no
lock: they read only complete checkpoints (see checkpoints/saving.py).
"""
import contextlib
import errno
import fcntl
import os

from vae_digits.core.errors import UserError

__all__ = ["LOCK_NAME", "DirectoryLock", "lock_directories"]

LOCK_NAME = ".lock"


class DirectoryLock:
    """The lock of `directory` (an existing directory), given as `flag`."""

    def __init__(self, directory, flag):
        self.directory, self.flag = directory, flag
        self.path = os.path.join(directory, LOCK_NAME)
        self._fd = None

    def acquire(self):
        """Take the lock, or a UserError naming the run that holds it."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            holder = os.read(fd, 64).decode("ascii", "replace").strip()
            os.close(fd)
            if e.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            raise UserError(
                f"{self.flag} {self.directory} is in use by another training "
                f"run (pid {holder or 'unknown'}); wait for it to finish or "
                f"stop it, or pass another {self.flag}.") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self._fd = fd
        return self

    def release(self):
        if self._fd is not None:
            os.close(self._fd)  # closing the file releases the lock
            self._fd = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc_info):
        self.release()


@contextlib.contextmanager
def lock_directories(flags_and_directories):
    """Hold the locks of all the (flag, directory) pairs, each directory
    once. The directories that exist are locked first and the missing ones
    created only then, so a refused run creates nothing."""
    pairs = sorted(flags_and_directories,
                   key=lambda pair: not os.path.isdir(pair[1]))
    with contextlib.ExitStack() as locks:
        locked = set()
        for flag, directory in pairs:
            os.makedirs(directory, exist_ok=True)
            if os.path.realpath(directory) not in locked:
                locks.enter_context(DirectoryLock(directory, flag))
                locked.add(os.path.realpath(directory))
        yield
