"""HTTP/1.1 over the daemon's Unix socket, with the standard library only, once the socket passed the client checks.

Rule: every failure to reach the daemon becomes DS_DAEMON_UNREACHABLE with the socket and errno, never a value; an
unsafe socket is DS_SOCKET_UNSAFE and then not one byte was written to it.
"""

import errno
import http.client
import json
import os
import socket

from ._errors import DevsecretsError, UNREACHABLE_HINT
from ._socket_check import check_folder, check_listener

VERSION = "0.2.0"


def socket_path(environ=None):
    """$DEVSECRETS_SOCKET, else $XDG_RUNTIME_DIR/devsecrets/daemon.sock, else <tmp>/devsecrets-<uid>/daemon.sock.

    <tmp> is Node's os.tmpdir() (common/paths.ts): $TMPDIR, $TMP, $TEMP, else /tmp; never another folder picked
    because that one is unusable, as tempfile.gettempdir() would.
    """
    environ = os.environ if environ is None else environ
    if environ.get("DEVSECRETS_SOCKET"):
        return environ["DEVSECRETS_SOCKET"]
    if environ.get("XDG_RUNTIME_DIR"):
        return os.path.join(environ["XDG_RUNTIME_DIR"], "devsecrets", "daemon.sock")
    tmp = environ.get("TMPDIR") or environ.get("TMP") or environ.get("TEMP") or "/tmp"
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return os.path.join(tmp, "devsecrets-%d" % uid, "daemon.sock")


class UnixHTTPConnection(http.client.HTTPConnection):
    """An HTTPConnection whose transport is a Unix socket; the Host header says `devsecrets`."""

    def __init__(self, path, timeout=30.0):
        super().__init__("devsecrets", timeout=timeout)
        self.socket_path = path

    def connect(self):
        check_folder(self.socket_path)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.socket_path)
            # before http.client writes the request: a listener of another uid gets a connection closed unused
            check_listener(sock, self.socket_path)
        except BaseException:
            sock.close()
            raise
        self.sock = sock


_UNREACHABLE = {errno.ENOENT, errno.ECONNREFUSED, errno.ENOTSOCK}


def request(path_on_socket, method, route, body=None, timeout=30.0):
    """One exchange; returns (status, parsed JSON). Raises DevsecretsError."""
    connection = UnixHTTPConnection(path_on_socket, timeout=timeout)
    payload = None if body is None else json.dumps(body).encode("utf-8")
    headers = {"X-Devsecrets-Version": VERSION, "Connection": "close"}
    if payload is not None:
        headers["Content-Type"] = "application/json"
    try:
        try:
            connection.request(method, route, body=payload, headers=headers)
            response = connection.getresponse()
            status, raw = response.status, response.read()
        except OSError as error:
            if error.errno in _UNREACHABLE:
                name = errno.errorcode.get(error.errno, "error")
                raise DevsecretsError(
                    "DS_DAEMON_UNREACHABLE", "no daemon answers on %s (%s)" % (path_on_socket, name), UNREACHABLE_HINT
                ) from None
            raise DevsecretsError(
                "DS_INTERNAL", "the daemon did not answer %s (%s)" % (route, type(error).__name__),
                "see the daemon log (devsecrets doctor prints where it is)",
            ) from None
    finally:
        connection.close()
    try:
        parsed = json.loads(raw.decode("utf-8"))
    except ValueError:
        raise DevsecretsError(
            "DS_INTERNAL", "the daemon answered with status %d and a body that is not JSON" % status,
            "see the daemon log (devsecrets doctor prints where it is)",
        ) from None
    if 200 <= status < 300:
        return parsed
    error = parsed.get("error") if isinstance(parsed, dict) else None
    error = error if isinstance(error, dict) else {}
    raise DevsecretsError(
        str(error.get("code") or "DS_INTERNAL"),
        str(error.get("message") or "the daemon answered with status %d" % status),
        str(error.get("hint") or "see docs/errors.md"),
    )
