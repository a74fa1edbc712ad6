"""The DEVSECRETS_* dialect every client reads: 1|true|yes|on, 0|false|no|off, and an empty value counts as unset.

Rule: a value outside the dialect is never guessed at: the shim says so on stderr, once a read, and ignores it.
"""

import sys

DEFAULT_ENV = "dev"
TRUE = ("1", "true", "yes", "on")
FALSE = ("", "0", "false", "no", "off")


def not_boolean(name, value):
    return "%s=%s is not a boolean (1|true|yes|on or 0|false|no|off)" % (name, value)


def flag(environ, name):
    """the boolean variable `name` of environ; a value outside the dialect is said on stderr and counts as unset"""
    value = environ.get(name, "")
    if value in TRUE:
        return True
    if value not in FALSE:
        sys.stderr.write("devsecrets: %s; ignored\n" % not_boolean(name, value))
        sys.stderr.flush()
    return False


def env_name(environ):
    """DEVSECRETS_ENV, "dev" when it is unset or empty"""
    return environ.get("DEVSECRETS_ENV") or DEFAULT_ENV
