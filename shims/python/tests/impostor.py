"""For tests: a listener on a daemon's socket path that is not the user's daemon.

Binds SOCKET, becomes UID (so the kernel's peer credentials name that uid: Linux takes them at listen()), listens,
prints "ready", and appends to RECORD how many bytes each connection sent it. Answers nothing.
Rule: it keeps no bytes, only their count; the test stops it by its pid.

    python impostor.py SOCKET UID RECORD
"""

import os
import socket
import sys
import threading


def _count(conn, record):
    conn.settimeout(3.0)
    received = 0
    try:
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            received += len(chunk)
    except OSError:
        pass
    conn.close()
    os.write(record, b"%d\n" % received)


def main(path, uid, record_path):
    record = os.open(record_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    if uid != os.getuid():
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    server.listen(16)
    print("ready", flush=True)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=_count, args=(conn, record), daemon=True).start()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
