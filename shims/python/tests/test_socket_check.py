"""The checks before anything is sent (DESIGN "Client checks"): unsafe socket folders and a listener of another uid are
refused with DS_SOCKET_UNSAFE, and the impostor listening there receives nothing; a safe one is used.

Rule: real folders, a real listener of uid 65534 (the tests run as root, as CI does), counted bytes.
"""

import json
import os

import pytest

import devsecrets
from conftest import private_dir
from devsecrets._socket_check import SOCKET_UNSAFE_HINT

NOBODY = 65534


def _resolve(environ):
    with pytest.raises(devsecrets.DevsecretsError) as caught:
        devsecrets.resolve(cwd="/", environ=environ, timeout=1.0)
    return caught.value


def _assert_unsafe(error, message):
    assert (error.code, error.message, error.hint) == ("DS_SOCKET_UNSAFE", message, SOCKET_UNSAFE_HINT)
    assert "export DEVSECRETS_SOCKET=" in error.hint


def test_an_open_socket_folder_is_refused(tmp_path, impostors):
    folder = private_dir(str(tmp_path / "open"))
    impostor = impostors(os.path.join(folder, "daemon.sock"), 0)
    os.chmod(folder, 0o755)
    error = _resolve({"DEVSECRETS_SOCKET": os.path.join(folder, "daemon.sock")})
    _assert_unsafe(error, "the socket folder %s is not safe (owner 0, mode 0755)" % folder)
    assert impostor.received() == []


def test_a_symlinked_socket_folder_is_refused(tmp_path, impostors):
    real = private_dir(str(tmp_path / "real"))
    impostor = impostors(os.path.join(real, "daemon.sock"), 0)
    link = str(tmp_path / "link")
    os.symlink(real, link)
    error = _resolve({"DEVSECRETS_SOCKET": os.path.join(link, "daemon.sock")})
    _assert_unsafe(error, "the socket folder %s is not safe (owner 0, mode 0777)" % link)
    assert impostor.received() == []


def test_the_tmp_fallback_folder_of_another_user_is_refused(tmp_path, impostors):
    # issue 16's attack: without XDG_RUNTIME_DIR the socket is <tmp>/devsecrets-<uid>/, which another user can make first
    tmp = str(tmp_path / "tmp")
    os.makedirs(tmp)
    os.chmod(tmp, 0o1777)
    folder = private_dir(os.path.join(tmp, "devsecrets-%d" % os.getuid()))
    os.chown(folder, NOBODY, NOBODY)
    impostor = impostors(os.path.join(folder, "daemon.sock"), NOBODY)
    error = _resolve({"TMPDIR": tmp})
    _assert_unsafe(error, "the socket folder %s is not safe (owner %d, mode 0700)" % (folder, NOBODY))
    assert impostor.received() == []


def test_a_listener_of_another_uid_is_refused_before_the_request(tmp_path, impostors):
    socket_path = os.path.join(private_dir(str(tmp_path / "run")), "daemon.sock")
    impostor = impostors(socket_path, NOBODY)
    error = _resolve({"DEVSECRETS_SOCKET": socket_path})
    _assert_unsafe(error, "the daemon on %s runs as uid %d, not as you (uid 0)" % (socket_path, NOBODY))
    assert impostor.received(want=1, within=5.0) == [0], "one connection, closed before a byte was sent"


def test_the_impostor_records_what_a_safe_socket_gets(tmp_path, impostors):
    # the control: as our own uid in a private folder it passes both checks and receives the request
    socket_path = os.path.join(private_dir(str(tmp_path / "run")), "daemon.sock")
    impostor = impostors(socket_path, 0)
    error = _resolve({"DEVSECRETS_SOCKET": socket_path})
    assert error.code != "DS_SOCKET_UNSAFE"
    counts = impostor.received(want=1, within=5.0)
    assert len(counts) == 1 and counts[0] > 0


def test_optional_says_the_unsafe_socket_and_sends_nothing(world, tmp_path, impostors):
    socket_path = os.path.join(private_dir(str(tmp_path / "run")), "daemon.sock")
    impostor = impostors(socket_path, NOBODY)
    code = "import devsecrets, json; print(json.dumps(devsecrets.load()))"
    result = world.python(code, str(tmp_path), {"DEVSECRETS_OPTIONAL": "yes", "DEVSECRETS_SOCKET": socket_path})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {}
    assert result.stderr == (
        "devsecrets: error DS_SOCKET_UNSAFE: the daemon on %s runs as uid %d, not as you (uid 0)\n"
        "devsecrets: hint: %s\n"
        "devsecrets: continuing without the project's variables (DEVSECRETS_OPTIONAL=1)\n"
    ) % (socket_path, NOBODY, SOCKET_UNSAFE_HINT)
    assert impostor.received(want=1, within=5.0) == [0]


def test_a_missing_socket_folder_is_unreachable_not_unsafe(tmp_path):
    socket_path = str(tmp_path / "absent" / "daemon.sock")
    error = _resolve({"DEVSECRETS_SOCKET": socket_path})
    assert (error.code, error.message) == ("DS_DAEMON_UNREACHABLE", "no daemon answers on %s (ENOENT)" % socket_path)


def test_the_tmp_fallback_reads_tmpdir_tmp_temp_as_node(tmp_path):
    uid = os.getuid()
    assert devsecrets.socket_path({"TMP": "/t2"}) == "/t2/devsecrets-%d/daemon.sock" % uid
    assert devsecrets.socket_path({"TMPDIR": "", "TEMP": "/t3"}) == "/t3/devsecrets-%d/daemon.sock" % uid
    # an unusable TMPDIR is still the path: no other folder is picked silently (tempfile.gettempdir() would)
    assert devsecrets.socket_path({"TMPDIR": "/nonexistent"}) == "/nonexistent/devsecrets-%d/daemon.sock" % uid
    assert devsecrets.socket_path({}) == "/tmp/devsecrets-%d/daemon.sock" % uid
