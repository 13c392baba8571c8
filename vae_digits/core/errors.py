"""The exception a user can act on, shared by every module.

Anything raised as `UserError` reaches the command line as one line on
stderr and a non-zero exit code, never as a traceback; its message names
the problem and the fix.
"""


class UserError(ValueError):
    """A problem with the user's input, data or files, with its fix. A
    ValueError, so that Python callers of vae_digits.load and
    vae_digits.train catch it as one."""


class Interrupted(UserError):
    """The user stopped the program (Ctrl-C); the message says what was
    kept."""


def os_error_fix(code, where="another directory"):
    """What a user can do about a failed write with errno `code`: only a
    full disk asks for space."""
    import errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "free some space or pass " + where
    if code == errno.EROFS:
        return "the file system is read-only: pass " + where
    if code in (errno.EACCES, errno.EPERM):
        return "make it writable or pass " + where
    if code == errno.ENOENT:
        return ("something removed it while this ran: check that no other "
                "process works in that directory")
    return "check that path and its disk"
