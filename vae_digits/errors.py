"""The exception a user can act on, shared by every module.

Anything raised as `UserError` reaches the command line as one line on
stderr and a non-zero exit code, never as a traceback; its message names
the problem and the fix.
"""


class UserError(Exception):
    """A problem with the user's input, data or files, with its fix."""


class Interrupted(UserError):
    """The user stopped the program (Ctrl-C); the message says what was
    kept."""
