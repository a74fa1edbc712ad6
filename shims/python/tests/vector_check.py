"""Checks one shim outcome against a shared vector of test/vectors/ (the same rules as the Node and Go harnesses).

Rule: values are never printed in a mismatch, only names and lengths.
"""

import json
import os
import re


def load_vectors(folder):
    vectors = []
    for file_name in sorted(os.listdir(folder)):
        if file_name.endswith(".json"):
            with open(os.path.join(folder, file_name)) as handle:
                vector = json.load(handle)
            vector["name"] = file_name[: -len(".json")]
            vectors.append(vector)
    return vectors


def knobs(vector, unreachable_socket):
    out = {"DEVSECRETS_NO_AUTOSTART": "1"}
    if vector.get("env"):
        out["DEVSECRETS_ENV"] = vector["env"]
    if vector.get("override"):
        out["DEVSECRETS_OVERRIDE"] = "1"
    if vector.get("daemon") == "unreachable":
        out["DEVSECRETS_SOCKET"] = unreachable_socket
    return out


def kept_from_stderr(stderr):
    match = re.search(r"^devsecrets: kept from your environment: ([^(\n]*)", stderr, re.M)
    return [name.strip() for name in match.group(1).split(",") if name.strip()] if match else []


def mismatches(vector, environ, kept, error):
    expect = vector["expect"]
    if "error" in expect:
        if error is None:
            return ["expected error %s, the shim succeeded" % expect["error"]]
        problems = []
        if error["code"] != expect["error"]:
            problems.append("expected error %s, got %s: %s" % (expect["error"], error["code"], error["message"]))
        if expect.get("message") and expect["message"] not in error["message"]:
            problems.append("error message %r lacks %r" % (error["message"], expect["message"]))
        return problems
    if error is not None:
        return ["expected success, got %s: %s" % (error["code"], error["message"])]
    problems = []
    if "variables" in expect:
        for name, value in expect["variables"].items():
            if environ.get(name) != value:
                problems.append("%s: expected %r, got %r" % (name, value, environ.get(name)))
        if sorted(kept) != sorted(expect["kept"]):
            problems.append("kept: expected %s, got %s" % (sorted(expect["kept"]), sorted(kept)))
    else:
        for name, pattern in expect["shapes"].items():
            value = environ.get(name)
            if value is None:
                problems.append("%s: not set" % name)
            elif not re.search(pattern, value):
                problems.append("%s: %d chars do not match %s" % (name, len(value), pattern))
        for group in expect.get("same", []):
            values = [environ.get(name) for name in group]
            if not all(values) or len(set(values)) != 1:
                problems.append("%s: expected one shared value" % ", ".join(group))
    return problems
