"""Imported by devsecrets-autoload.pth at interpreter start-up when DEVSECRETS_AUTOLOAD is set and not false.

Rule: a failure is one line on stderr, `devsecrets: error CODE: message (hint: ...)`, and exit 1 (unless
DEVSECRETS_OPTIONAL); never a traceback. site.py turns an exception here, SystemExit included, into
"Fatal Python error: init_import_site" and a traceback, so nothing may leave this module but os._exit.
"""

import os
import sys


def _say(message):
    sys.stderr.write("devsecrets: %s\n" % message)


def _end(code):
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    os._exit(code)


def _fail(code, message, hint):
    """one line with the code and the hint; exits 1 unless DEVSECRETS_OPTIONAL is on"""
    try:
        from ._environment import flag

        optional = flag(os.environ, "DEVSECRETS_OPTIONAL")
    except BaseException:
        # the package itself is broken: the dialect's true words, without its warning
        optional = os.environ.get("DEVSECRETS_OPTIONAL", "").strip().lower() in ("1", "true", "yes", "on")
    tail = "; continuing without the project's variables (DEVSECRETS_OPTIONAL=1)" if optional else ""
    _say("error %s: %s (hint: %s)%s" % (code, message, hint or "see docs/errors.md", tail))
    if not optional:
        _end(1)


def _autoload():
    from . import DevsecretsError, load
    from ._environment import flag

    if not flag(os.environ, "DEVSECRETS_AUTOLOAD"):
        return  # not a boolean: said and ignored
    try:
        # optional=False: the failure is reported here, in one line, whatever DEVSECRETS_OPTIONAL says
        load(optional=False)
    except DevsecretsError as error:
        _fail(error.code, error.message, error.hint)


try:
    _autoload()
except KeyboardInterrupt:
    _end(130)
except BaseException as error:
    # a bug of ours, or a package that cannot be imported whole: the same one line, no traceback (it could quote
    # the environment)
    _fail(
        "DS_INTERNAL",
        "the Python autoload failed (%s)" % type(error).__name__,
        "reinstall the devsecrets package or report the issue; DEVSECRETS_OPTIONAL=1 starts the program without the "
        "project's variables",
    )
