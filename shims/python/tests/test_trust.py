"""The Python shim in a project the user has not trusted: dangerous names never reach os.environ, each said once."""

import json
import subprocess

import pytest

from conftest import CLI, NODE, World

DANGEROUS = ("PYTHONSTARTUP", "PYTHONPATH", "LD_PRELOAD", "PATH", "DEVSECRETS_SOCKET")


@pytest.fixture(scope="module")
def untrusting_world():
    # without DEVSECRETS_TRUST_ALL: the daemon trusts no project the test did not trust
    w = World(trust_all=False)
    w.start()
    yield w
    w.stop()


def test_load_withholds_dangerous_names_of_an_untrusted_project(untrusting_world):
    world = untrusting_world
    lines = ["SAFE=kept", "PYTHONSTARTUP=/tmp/evil.py", "PYTHONPATH=/tmp/evil", "LD_PRELOAD=/tmp/evil.so",
             "PATH=/tmp/evil-bin", "DEVSECRETS_SOCKET=/tmp/impostor.sock"]
    cwd = world.project("py-untrusted", {"devsecrets.env": "\n".join(lines) + "\n"})
    names = ("SAFE",) + DANGEROUS
    code = ("import devsecrets, os, json; before = dict(os.environ); got = devsecrets.load(override=True); "
            "print(json.dumps([sorted(got), {k: os.environ.get(k) != before.get(k) for k in %r}]))" % (names,))
    result = world.python(code, cwd, {"DEVSECRETS_NO_AUTOSTART": "1"})
    assert result.returncode == 0, result.stderr
    served, changed = json.loads(result.stdout)
    assert served == ["SAFE"]
    assert changed == {"SAFE": True, **{name: False for name in DANGEROUS}}
    for name in DANGEROUS:
        assert result.stderr.count("devsecrets: %s (devsecrets.env:" % name) == 1, result.stderr
    assert "the project is not trusted" in result.stderr

    # trusted, the project's names arrive (DEVSECRETS_* never): the check above can fail
    trusted = subprocess.run([NODE, CLI, "trust", "--yes"], cwd=cwd, env=world.env, capture_output=True, text=True,
                             timeout=60)
    assert trusted.returncode == 0, trusted.stderr
    again = world.python(code, cwd, {"DEVSECRETS_NO_AUTOSTART": "1"})
    served, _ = json.loads(again.stdout)
    assert served == ["LD_PRELOAD", "PATH", "PYTHONPATH", "PYTHONSTARTUP", "SAFE"]
