"""devsecrets for Python: the project's variables from the local devsecrets daemon, into os.environ.

Rule: stdlib only; the caller's environment wins unless override; stderr names variables, never values.

    import devsecrets
    devsecrets.load()          # before anything reads os.environ
"""

import os
import sys

from ._environment import env_name, flag
from ._errors import DevsecretsError
from ._transport import request, socket_path

__all__ = ["DevsecretsError", "load", "resolve", "socket_path"]

LOADED_MARKER = "DEVSECRETS_LOADED"


def resolve(override=None, env=None, cwd=None, environ=None, names=None, timeout=30.0):
    """Asks the daemon for the project's variables; returns the full answer (a dict). Changes nothing.

    Raises DevsecretsError (code DS_...) when the daemon cannot be reached, is not the caller's own, or refuses.
    """
    environ = dict(os.environ if environ is None else environ)
    body = {
        "cwd": os.path.abspath(cwd or os.getcwd()),
        "env": env or env_name(environ),
        "environ": environ,
        "override": flag(environ, "DEVSECRETS_OVERRIDE") if override is None else bool(override),
    }
    if names is not None:
        body["names"] = list(names)
    return request(socket_path(environ), "POST", "/v1/resolve", body, timeout=timeout)


def _say(message):
    sys.stderr.write("devsecrets: %s\n" % message)
    sys.stderr.flush()


def load(override=None, env=None, optional=None):
    """Fills os.environ with the project's variables; returns the ones it set as a dict.

    override: the project's values replace the caller's (default: DEVSECRETS_OVERRIDE, 1|true|yes|on).
    env: the overlay, devsecrets.<env>.env (default: DEVSECRETS_ENV, else "dev").
    optional: on failure, warn on stderr and return {} instead of raising (default: DEVSECRETS_OPTIONAL); an unsafe
    socket too, to which nothing was sent.
    """
    try:
        answer = resolve(override=override, env=env)
    except DevsecretsError as error:
        if not (flag(os.environ, "DEVSECRETS_OPTIONAL") if optional is None else bool(optional)):
            raise
        _say("error %s: %s" % (error.code, error.message))
        if error.hint:
            _say("hint: %s" % error.hint)
        _say("continuing without the project's variables (DEVSECRETS_OPTIONAL=1)")
        return {}
    for notice in answer.get("notices") or []:
        _say(notice.get("message", ""))
    inherited = set(filter(None, os.environ.get(LOADED_MARKER, "").split(",")))
    kept = [name for name in answer.get("kept") or [] if name not in inherited]
    if kept:
        _say("kept from your environment: %s (DEVSECRETS_OVERRIDE=1 to use the project's)" % ", ".join(kept))
    variables = dict(answer.get("variables") or {})
    os.environ.update(variables)
    os.environ[LOADED_MARKER] = ",".join(sorted(inherited | set(variables) | set(answer.get("kept") or [])))
    return variables
