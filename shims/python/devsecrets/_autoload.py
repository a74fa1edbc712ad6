"""Imported by devsecrets-autoload.pth at interpreter start-up when DEVSECRETS_AUTOLOAD is set and not false.

Rule: fails like the Node preload: `devsecrets: error CODE: message` and `devsecrets: hint: ...` on stderr, exit 1
(unless DEVSECRETS_OPTIONAL); never a traceback. site.py turns an exception here, SystemExit included, into
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


def _autoload():
    from . import DevsecretsError, load
    from ._environment import flag

    if not flag(os.environ, "DEVSECRETS_AUTOLOAD"):
        return  # not a boolean: said and ignored
    try:
        load()
    except DevsecretsError as error:
        _say("error %s: %s" % (error.code, error.message))
        _say("hint: %s" % (error.hint or "see docs/errors.md"))
        _end(1)
    except Exception as error:
        # a bug of ours: the same two lines, no traceback (it could quote the environment)
        _say("error DS_INTERNAL: the Python autoload failed (%s)" % type(error).__name__)
        _say("hint: report the issue; DEVSECRETS_OPTIONAL=1 lets the program start without the project's variables")
        if not flag(os.environ, "DEVSECRETS_OPTIONAL"):
            _end(1)
        _say("continuing without the project's variables (DEVSECRETS_OPTIONAL=1)")


try:
    _autoload()
except KeyboardInterrupt:
    _end(130)
