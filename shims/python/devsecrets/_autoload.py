"""Imported by devsecrets-autoload.pth at interpreter start-up when DEVSECRETS_AUTOLOAD=1.

Rule: fails like the Node preload: error and hint on stderr, exit 1 (unless DEVSECRETS_OPTIONAL=1).
"""

import sys

from . import DevsecretsError, load

try:
    load()
except DevsecretsError as _error:
    sys.stderr.write("devsecrets: error %s: %s\n" % (_error.code, _error.message))
    if _error.hint:
        sys.stderr.write("devsecrets: hint: %s\n" % _error.hint)
    sys.stderr.flush()
    raise SystemExit(1)
