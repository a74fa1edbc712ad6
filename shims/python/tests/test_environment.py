"""The DEVSECRETS_* dialect as the Python shim reads it, and a daemon's unknown error code passed through: against a fake
daemon on a private socket that records each resolve body it receives.

Rule: what the daemon is asked (override, env) is read from the request itself, not from the shim's internals.
"""

import http.server
import json
import os
import socketserver
import threading

import pytest

import devsecrets
from conftest import private_dir

# in no table on purpose; written in two parts so that test/unit/error-codes.test.ts, which holds every quoted code of
# the shims to the table, does not count it
FUTURE_CODE = "DS_" + "FROM_A_NEWER_DAEMON"
IGNORED = "devsecrets: %s=maybe is not a boolean (1|true|yes|on or 0|false|no|off); ignored\n"


class _FakeDaemon(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def _start_fake_daemon(folder, status, answer):
    bodies = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    path = os.path.join(private_dir(folder), "daemon.sock")
    server = _FakeDaemon(path, Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, path, bodies


@pytest.fixture
def fake_daemon(tmp_path):
    server, path, bodies = _start_fake_daemon(str(tmp_path / "run"), 200, {"variables": {}, "kept": [], "notices": []})
    yield path, bodies
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("environ, override, env, said", [
    ({"DEVSECRETS_OVERRIDE": "0"}, False, "dev", ""),
    ({"DEVSECRETS_OVERRIDE": "off"}, False, "dev", ""),
    ({"DEVSECRETS_OVERRIDE": ""}, False, "dev", ""),
    ({"DEVSECRETS_OVERRIDE": "1"}, True, "dev", ""),
    ({"DEVSECRETS_OVERRIDE": "yes"}, True, "dev", ""),
    ({"DEVSECRETS_OVERRIDE": "true"}, True, "dev", ""),
    ({"DEVSECRETS_OVERRIDE": "maybe"}, False, "dev", IGNORED % "DEVSECRETS_OVERRIDE"),
    ({"DEVSECRETS_ENV": ""}, False, "dev", ""),
    ({"DEVSECRETS_ENV": "staging"}, False, "staging", ""),
])
def test_resolve_asks_in_the_dialect(fake_daemon, capsys, environ, override, env, said):
    path, bodies = fake_daemon
    devsecrets.resolve(cwd="/", environ=dict(environ, DEVSECRETS_SOCKET=path))
    assert (bodies[-1]["override"], bodies[-1]["env"]) == (override, env)
    assert capsys.readouterr().err == said


def test_arguments_beat_variables_which_are_then_not_read(fake_daemon, capsys):
    path, bodies = fake_daemon
    devsecrets.resolve(override=False, env="qa", cwd="/", environ={"DEVSECRETS_SOCKET": path, "DEVSECRETS_OVERRIDE": "maybe"})
    assert (bodies[-1]["override"], bodies[-1]["env"]) == (False, "qa")
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("value, optional", [
    ("1", True), ("yes", True), ("on", True), ("true", True), ("0", False), ("no", False), ("", False), ("maybe", False),
])
def test_optional_speaks_the_dialect(tmp_path, monkeypatch, capsys, value, optional):
    monkeypatch.setenv("DEVSECRETS_SOCKET", os.path.join(private_dir(str(tmp_path / "run")), "none.sock"))
    monkeypatch.setenv("DEVSECRETS_OPTIONAL", value)
    if optional:
        assert devsecrets.load() == {}
        assert "continuing without the project's variables" in capsys.readouterr().err
    else:
        with pytest.raises(devsecrets.DevsecretsError) as caught:
            devsecrets.load()
        assert caught.value.code == "DS_DAEMON_UNREACHABLE"
        assert capsys.readouterr().err == (IGNORED % "DEVSECRETS_OPTIONAL" if value == "maybe" else "")


def test_an_unknown_code_is_passed_through(tmp_path):
    # DESIGN "Client checks": clients pass any DS_[A-Z_]+ code they do not know through with its message and hint
    answer = {"error": {"code": FUTURE_CODE, "message": "something new happened", "hint": "do the new thing"}}
    server, path, _ = _start_fake_daemon(str(tmp_path / "run"), 409, answer)
    try:
        with pytest.raises(devsecrets.DevsecretsError) as caught:
            devsecrets.resolve(cwd="/", environ={"DEVSECRETS_SOCKET": path})
    finally:
        server.shutdown()
        server.server_close()
    error = caught.value
    assert (error.code, error.message, error.hint) == (FUTURE_CODE, "something new happened", "do the new thing")
