"""What the shim checks before a byte goes to the daemon: the socket's folder is a real folder of the caller's, closed
to everyone else, and the process listening on the socket runs as the caller.

Rule: on any doubt DS_SOCKET_UNSAFE naming the path, nothing sent, and no other path tried in its place.
"""

import errno
import os
import socket
import stat
import struct
import sys

from ._errors import DevsecretsError

SOCKET_UNSAFE_HINT = (
    'use a folder only you can open: export DEVSECRETS_SOCKET="$HOME/.devsecrets/daemon.sock" '
    "(devsecrets creates it 0700), and remove the unsafe folder if you did not make it"
)


def _unsafe(message):
    return DevsecretsError("DS_SOCKET_UNSAFE", message, SOCKET_UNSAFE_HINT)


def check_folder(socket_path):
    """lstats the socket's folder; a missing one raises FileNotFoundError (no daemon can listen there: unreachable)"""
    folder = os.path.dirname(socket_path) or "."
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        raise
    except OSError as error:
        name = errno.errorcode.get(error.errno, type(error).__name__)
        raise _unsafe("the socket folder %s cannot be checked (%s)" % (folder, name)) from None
    mode = stat.S_IMODE(info.st_mode)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or mode & 0o077:
        raise _unsafe("the socket folder %s is not safe (owner %d, mode %04o)" % (folder, info.st_uid, mode))


def _peer_uid(sock):
    if sys.platform.startswith("linux"):
        # struct ucred {pid_t pid; uid_t uid; gid_t gid;}: the listener's credentials when it called listen()
        _pid, uid, _gid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
        return uid
    if sys.platform == "darwin" or sys.platform.startswith("freebsd"):
        # getsockopt(SOL_LOCAL=0, LOCAL_PEERCRED=1): struct xucred {u_int cr_version; uid_t cr_uid; ...}, 76 bytes;
        # written for macOS, untested there (docs/security.md says so)
        version, uid = struct.unpack_from("=II", sock.getsockopt(0, getattr(socket, "LOCAL_PEERCRED", 1), 76))
        if version != 0:
            raise OSError(errno.EINVAL, "an unknown xucred version")
        return uid
    raise OSError(errno.ENOSYS, "no peer credentials on this system")


def check_listener(sock, socket_path):
    """asks the kernel who listens on the connected socket and refuses any uid but the caller's"""
    try:
        uid = _peer_uid(sock)
    except OSError as error:
        name = errno.errorcode.get(error.errno, type(error).__name__)
        raise _unsafe("who listens on %s cannot be checked (%s)" % (socket_path, name)) from None
    me = os.getuid()
    if uid != me:
        raise _unsafe("the daemon on %s runs as uid %d, not as you (uid %d)" % (socket_path, uid, me))
