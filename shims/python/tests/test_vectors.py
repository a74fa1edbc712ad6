"""The shared vectors through devsecrets.load() in a `python -c` child, against a real daemon."""

import json
import os

import pytest

from conftest import VECTORS_DIR
from vector_check import kept_from_stderr, knobs, load_vectors, mismatches

CHILD = """
import json, os, sys
import devsecrets
try:
    devsecrets.load()
except devsecrets.DevsecretsError as error:
    print(json.dumps({"error": {"code": error.code, "message": error.message, "hint": error.hint}}))
    sys.exit(1)
print(json.dumps({"environ": dict(os.environ)}))
"""

VECTORS = load_vectors(VECTORS_DIR)


def test_there_are_vectors():
    assert len(VECTORS) >= 15


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector(world, vector):
    cwd = world.project("py-" + vector["name"], vector["files"])
    env = dict(vector.get("environ", {}), **knobs(vector, os.path.join(world.root, "nobody", "daemon.sock")))
    result = world.python(CHILD, cwd, env)
    assert result.returncode in (0, 1), result.stderr
    answer = json.loads(result.stdout)
    error = answer.get("error")
    if error:
        assert error["hint"], "an error comes with a hint"
    problems = mismatches(vector, answer.get("environ"), kept_from_stderr(result.stderr), error)
    assert problems == [], vector["description"]
