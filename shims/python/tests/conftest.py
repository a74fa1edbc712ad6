"""A private world with a real daemon for the Python shim's tests (its own HOME, XDG dirs, TMPDIR).

Rule: the daemon is started and stopped with the CLI; one that lingers is stopped by its pid, never by name.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import pytest

SHIM_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_ROOT = os.path.dirname(os.path.dirname(SHIM_DIR))
CLI = os.path.join(REPO_ROOT, "bin", "devsecrets.js")
DAEMON = os.path.join(REPO_ROOT, "dist", "daemon", "main.js")
VECTORS_DIR = os.path.join(REPO_ROOT, "test", "vectors")
NODE = shutil.which("node") or "node"


class World:
    def __init__(self, trust_all=True):
        self.root = tempfile.mkdtemp(prefix="ds-py-")
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "DEVSECRETS_START_TIMEOUT_MS": "15000"}
        # the daemon trusts every project (tests of trust pass trust_all=False), as the TS and Go worlds do
        if trust_all:
            self.env["DEVSECRETS_TRUST_ALL"] = "1"
        for name, folder in (("HOME", "home"), ("XDG_RUNTIME_DIR", "run"), ("XDG_STATE_HOME", "state"),
                             ("XDG_CONFIG_HOME", "config"), ("TMPDIR", "tmp")):
            path = os.path.join(self.root, folder)
            os.makedirs(path, mode=0o700)
            self.env[name] = path
        self.pid = None

    def cli(self, *args, env=None):
        return subprocess.run([NODE, CLI, *args], env=dict(self.env, **(env or {})), cwd=self.root,
                              capture_output=True, text=True, timeout=60)

    def project(self, name, files):
        folder = os.path.join(self.root, name)
        os.makedirs(folder)
        for file_name, text in files.items():
            with open(os.path.join(folder, file_name), "w") as handle:
                handle.write(text)
        return folder

    def python(self, code, cwd, env):
        """runs `python -c code` with PYTHONPATH = shims/python"""
        full = dict(self.env, PYTHONPATH=SHIM_DIR, **env)
        return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=full, capture_output=True, text=True, timeout=60)

    def start(self):
        started = self.cli("daemon", "start")
        assert started.returncode == 0, "devsecrets daemon start failed: %s" % started.stderr
        status = self.cli("daemon", "status", "--json", env={"DEVSECRETS_NO_AUTOSTART": "1"})
        assert status.returncode == 0, status.stderr
        self.pid = json.loads(status.stdout)["pid"]

    def stop(self):
        self.cli("daemon", "stop", env={"DEVSECRETS_NO_AUTOSTART": "1"})
        lingered = self.pid is not None and _wait_gone(self.pid, 5.0) is False
        if lingered:
            os.kill(self.pid, signal.SIGTERM)
            if not _wait_gone(self.pid, 3.0):
                os.kill(self.pid, signal.SIGKILL)
        shutil.rmtree(self.root, ignore_errors=True)
        assert not lingered, "the daemon (pid %d) did not exit after devsecrets daemon stop" % self.pid


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie child of ours would still answer; the daemon is detached, so this is the real state
    return True


def _wait_gone(pid, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.025)
    return False


class Impostor:
    """a running tests/impostor.py; `received()` is the byte count of each connection that ended"""

    def __init__(self, path, uid, folder):
        self.record = os.path.join(folder, "impostor-%d.record" % len(os.listdir(folder)))
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "impostor.py")
        self.process = subprocess.Popen([sys.executable, script, path, str(uid), self.record],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if self.process.stdout.readline() != "ready\n":
            self.stop()
            pytest.fail("the impostor did not start on %s as uid %d: %s" % (path, uid, self.process.stderr.read()))

    def received(self, want=1, within=0.3):
        deadline = time.monotonic() + within
        while True:
            try:
                with open(self.record) as handle:
                    counts = [int(line) for line in handle.read().split()]
            except FileNotFoundError:
                counts = []
            if len(counts) >= want or time.monotonic() > deadline:
                return counts
            time.sleep(0.02)

    def stop(self):
        self.process.kill()
        self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()


@pytest.fixture
def impostors(tmp_path):
    """starts impostors (`impostors(socket, uid)`), stopped by pid after the test; the tests need root, as CI has"""
    if os.getuid() != 0:
        pytest.fail("this test runs a listener and folders as another uid (65534): run it as root, as CI does")
    started = []

    def start(path, uid):
        started.append(Impostor(path, uid, str(tmp_path)))
        return started[-1]

    yield start
    for impostor in started:
        impostor.stop()


def private_dir(path):
    os.makedirs(path, mode=0o700)
    os.chmod(path, 0o700)
    return path


@pytest.fixture(scope="session")
def world():
    if not os.path.exists(DAEMON):
        pytest.fail("%s is missing: run npm run build" % DAEMON)
    if shutil.which(NODE) is None:
        pytest.fail("node is not on PATH: the tests need it to run the real daemon")
    w = World()
    w.start()
    yield w
    w.stop()
