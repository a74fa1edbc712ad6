"""devsecrets.load() beyond the vectors: the .pth autoload, optional mode, the error's fields, the return value."""

import json
import os
import shutil
import subprocess
import sys

from conftest import SHIM_DIR

PROJECT = {"devsecrets.env": "APP_NAME=hello\nGITHUB_TOKEN=sandbox://github/pat\n"}
PRINT = "import os, json; print(json.dumps({k: os.environ.get(k) for k in ('APP_NAME', 'GITHUB_TOKEN')}))"


def _venv_with_pth(world):
    venv = os.path.join(world.root, "venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, timeout=120)
    python = os.path.join(venv, "bin", "python")
    site_dir = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              capture_output=True, text=True, check=True).stdout.strip()
    installed = subprocess.run([sys.executable, "-m", "devsecrets", "install-autoload", site_dir],
                               env=dict(os.environ, PYTHONPATH=SHIM_DIR), capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    return python


def test_autoload_pth_fills_environ_before_the_first_line(world):
    python = _venv_with_pth(world)
    cwd = world.project("py-autoload", PROJECT)
    env = dict(world.env, DEVSECRETS_AUTOLOAD="1", DEVSECRETS_NO_AUTOSTART="1")
    result = subprocess.run([python, "-c", PRINT], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["APP_NAME"] == "hello"
    assert seen["GITHUB_TOKEN"].startswith("ghp_")

    # without DEVSECRETS_AUTOLOAD=1 the .pth does nothing
    env.pop("DEVSECRETS_AUTOLOAD")
    quiet = subprocess.run([python, "-c", PRINT], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert json.loads(quiet.stdout) == {"APP_NAME": None, "GITHUB_TOKEN": None}

    # the dialect: yes loads, 0 and off do nothing, a value outside it is said once and ignored
    for value, loads in (("yes", True), ("0", False), ("off", False)):
        seen = subprocess.run([python, "-c", PRINT], cwd=cwd, capture_output=True, text=True, timeout=60,
                              env=dict(env, DEVSECRETS_AUTOLOAD=value))
        assert seen.returncode == 0, seen.stderr
        assert (json.loads(seen.stdout)["APP_NAME"] == "hello") is loads, value
    ignored = subprocess.run([python, "-c", PRINT], cwd=cwd, capture_output=True, text=True, timeout=60,
                             env=dict(env, DEVSECRETS_AUTOLOAD="maybe"))
    assert ignored.returncode == 0
    assert json.loads(ignored.stdout) == {"APP_NAME": None, "GITHUB_TOKEN": None}
    assert ignored.stderr == (
        "devsecrets: DEVSECRETS_AUTOLOAD=maybe is not a boolean (1|true|yes|on or 0|false|no|off); ignored\n"
    )


def test_a_failing_autoload_says_one_line_and_exits_1(world):
    # issue 17: it printed `Fatal Python error: init_import_site` and a traceback (SystemExit inside site's import)
    python = _venv_with_pth(world)
    cwd = world.project("py-autoload-fails", PROJECT)
    absent = os.path.join(world.root, "none.sock")
    env = dict(world.env, DEVSECRETS_AUTOLOAD="1", DEVSECRETS_NO_AUTOSTART="1", DEVSECRETS_SOCKET=absent)
    failing = subprocess.run([python, "-c", PRINT], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert failing.returncode == 1
    assert failing.stdout == "", "the program did not start"
    assert failing.stderr == (
        "devsecrets: error DS_DAEMON_UNREACHABLE: no daemon answers on %s (ENOENT)"
        " (hint: start it with `devsecrets daemon start`, or run `devsecrets doctor`)\n" % absent
    )

    # a daemon error answer: the same one line with its code and hint
    broken = world.project("py-autoload-cycle", {"devsecrets.env": "A=${B}\nB=${A}\n"})
    env.pop("DEVSECRETS_SOCKET")
    cycle = subprocess.run([python, "-c", PRINT], cwd=broken, env=env, capture_output=True, text=True, timeout=60)
    assert cycle.returncode == 1
    lines = cycle.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("devsecrets: error DS_REF_CYCLE: ") and " (hint: " in lines[0]

    # DEVSECRETS_OPTIONAL: the program starts without the project's variables, after the same one line
    optional = subprocess.run([python, "-c", PRINT], cwd=cwd, capture_output=True, text=True, timeout=60,
                              env=dict(env, DEVSECRETS_SOCKET=absent, DEVSECRETS_OPTIONAL="1"))
    assert optional.returncode == 0
    assert json.loads(optional.stdout) == {"APP_NAME": None, "GITHUB_TOKEN": None}
    assert len(optional.stderr.splitlines()) == 1, optional.stderr
    assert optional.stderr.startswith("devsecrets: error DS_DAEMON_UNREACHABLE: ")
    assert optional.stderr.endswith("; continuing without the project's variables (DEVSECRETS_OPTIONAL=1)\n")
    assert "Traceback" not in optional.stderr


def test_an_autoload_whose_package_cannot_be_imported_says_one_line(world):
    # a package moved or half-installed under the .pth: site.py printed "Error processing line 2" and a traceback
    copy = os.path.join(world.root, "copied-shim")
    shutil.copytree(SHIM_DIR, copy, ignore=shutil.ignore_patterns("tests", "__pycache__"))
    venv = os.path.join(world.root, "venv-broken")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, timeout=120)
    python = os.path.join(venv, "bin", "python")
    site_dir = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              capture_output=True, text=True, check=True).stdout.strip()
    installed = subprocess.run([sys.executable, "-m", "devsecrets", "install-autoload", site_dir],
                               env=dict(os.environ, PYTHONPATH=copy), capture_output=True, text=True, cwd=world.root)
    assert installed.returncode == 0, installed.stderr
    with open(os.path.join(copy, "devsecrets", "__init__.py"), "w") as handle:
        handle.write("def broken(:\n")
    cwd = world.project("py-autoload-broken", PROJECT)
    env = dict(world.env, DEVSECRETS_AUTOLOAD="1", DEVSECRETS_NO_AUTOSTART="1")
    failing = subprocess.run([python, "-c", PRINT], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert failing.returncode == 1
    assert failing.stdout == ""
    assert failing.stderr == (
        "devsecrets: error DS_INTERNAL: the Python autoload could not import devsecrets (SyntaxError)"
        " (hint: reinstall the devsecrets package, or unset DEVSECRETS_AUTOLOAD)\n"
    )
    optional = subprocess.run([python, "-c", PRINT], cwd=cwd, capture_output=True, text=True, timeout=60,
                              env=dict(env, DEVSECRETS_OPTIONAL="yes"))
    assert optional.returncode == 0
    assert json.loads(optional.stdout) == {"APP_NAME": None, "GITHUB_TOKEN": None}
    assert optional.stderr.endswith("; continuing without the project's variables (DEVSECRETS_OPTIONAL=1)\n")
    assert len(optional.stderr.splitlines()) == 1


def test_optional_warns_and_continues(world):
    cwd = world.project("py-optional", PROJECT)
    code = "import devsecrets; print(devsecrets.load())"
    result = world.python(code, cwd, {"DEVSECRETS_OPTIONAL": "1", "DEVSECRETS_SOCKET": os.path.join(world.root, "none.sock")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "{}"
    assert "devsecrets: error DS_DAEMON_UNREACHABLE" in result.stderr
    assert "continuing without the project's variables" in result.stderr


def test_error_carries_code_message_hint(world):
    cwd = world.project("py-error", {"devsecrets.env": "A=${B}\nB=${A}\n"})
    code = (
        "import devsecrets, json\n"
        "try:\n    devsecrets.load()\n"
        "except devsecrets.DevsecretsError as e:\n    print(json.dumps([e.code, e.message, e.hint, str(e)]))\n"
    )
    result = world.python(code, cwd, {"DEVSECRETS_NO_AUTOSTART": "1"})
    code_, message, hint, text = json.loads(result.stdout)
    assert code_ == "DS_REF_CYCLE"
    assert "cycle" in message and hint
    assert text.startswith("DS_REF_CYCLE: ")


def test_load_returns_what_it_set_and_arguments_beat_environment(world):
    cwd = world.project("py-args", {"devsecrets.env": "PORT=3000\n", "devsecrets.staging.env": "PORT=3100\n"})
    code = "import devsecrets, os, json; got = devsecrets.load(override=True, env='staging'); print(json.dumps([got, os.environ['PORT']]))"
    result = world.python(code, cwd, {"PORT": "4000", "DEVSECRETS_NO_AUTOSTART": "1"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"PORT": "3100"}, "3100"]
    assert "kept from your environment" not in result.stderr
