#!/usr/bin/env bash
# Runs the Python (pytest) and Go (go test) shims' tests, each against a real daemon; `npm test` calls it after ava.
# Rule: exits non-zero when any runner fails or finds no tests (pytest exit 5 counts as a failure); prints each summary line.
set -u

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
status=0

if [ ! -f "$repo/dist/daemon/main.js" ]; then
  echo "devsecrets: dist/daemon/main.js is missing: run npm run build" >&2
  exit 1
fi

echo "== python: pytest shims/python"
python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
  echo "python: FAILED: $python is not on PATH" >&2
  status=1
else
  (cd "$here/python" && "$python" -m pytest -q -p no:cacheprovider)
  code=$?
  if [ "$code" -eq 5 ]; then
    echo "python: FAILED: pytest collected no tests (exit 5)" >&2
    status=1
  elif [ "$code" -ne 0 ]; then
    echo "python: FAILED (pytest exit $code)" >&2
    status=1
  else
    echo "python: ok"
  fi
fi

echo "== go: go test ./... (shims/go)"
if ! command -v go >/dev/null 2>&1; then
  echo "go: FAILED: go is not on PATH" >&2
  status=1
else
  out="$(cd "$here/go" && go test -count=1 -v ./... 2>&1)"
  code=$?
  passed="$(printf '%s\n' "$out" | grep -c -- '^    --- PASS\|^--- PASS' || true)"
  failed="$(printf '%s\n' "$out" | grep -c -- '--- FAIL' || true)"
  if [ "$code" -ne 0 ]; then
    printf '%s\n' "$out" | grep -v -- '^=== \|--- PASS' >&2
  fi
  printf '%s\n' "$out" | grep -E '^(ok|FAIL|\?) ' || true
  echo "go: $passed passed, $failed failed"
  if [ "$code" -ne 0 ]; then
    echo "go: FAILED (go test exit $code)" >&2
    status=1
  elif [ "$passed" -eq 0 ]; then
    echo "go: FAILED: go test ran no tests" >&2
    status=1
  else
    echo "go: ok"
  fi
fi

exit "$status"
