"""The one error of the Python shim: the daemon's code, message and hint.

Rule: a message names files, lines and references, never a secret value.
"""

UNREACHABLE_HINT = "start it with `devsecrets daemon start`, or run `devsecrets doctor`"


class DevsecretsError(Exception):
    """A failure with a stable `code` (DS_...), a one-line `message` and a `hint` saying what to do."""

    def __init__(self, code, message, hint=""):
        super().__init__("%s: %s" % (code, message))
        self.code = code
        self.message = message
        self.hint = hint
