#!/usr/bin/env bash
# `npm test` after the build: every suite (ava; the Python and Go shims' own runners), then one closing total.
# Rule: exits non-zero when lint fails or any suite fails or runs no test; the last line is "total: N passed, N failed".
set -u
cd "$(dirname "$0")/.."
log="$(mktemp -d)"
trap 'rm -rf "$log"' EXIT
status=0

# formatting and lint first: drift fails the run, but every suite still runs so one report shows everything
npm run --silent lint 2>&1 | tee "$log/lint"
lint_code=${PIPESTATUS[0]}
[ "$lint_code" -eq 0 ] && echo "lint: biome and gofmt clean" || echo "lint: FAILED (npm run lint)"

npx ava 2>&1 | tee "$log/ava"
ava_code=${PIPESTATUS[0]}
bash shims/run-shim-tests.sh 2>&1 | tee "$log/shims"
shim_code=${PIPESTATUS[0]}

count() { grep -oE "$1" "$2" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}'; }
# ava prints "N tests passed" only when none failed; its per-test lines are counted instead
ava_passed=$(grep -cE '^\s*✔' "$log/ava" || true)
ava_failed=$(count '[0-9]+ tests? failed' "$log/ava")
py_passed=$(count '[0-9]+ passed in' "$log/shims")
py_failed=$(count '[0-9]+ failed' "$log/shims" )
go_line=$(grep -E '^go: [0-9]+ passed, [0-9]+ failed' "$log/shims" | tail -1)
go_passed=$(printf '%s' "$go_line" | grep -oE '^go: [0-9]+' | grep -oE '[0-9]+' || echo 0)
go_failed=$(printf '%s' "$go_line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 0)
# run-shim-tests prints "go: N passed, M failed", which the pytest count above also matched: take it out
py_failed=$((py_failed - ${go_failed:-0}))

passed=$((ava_passed + py_passed + ${go_passed:-0}))
failed=$((ava_failed + py_failed + ${go_failed:-0}))
if [ "$lint_code" -ne 0 ]; then
  status=1
  failed=$((failed + 1))
fi
if [ "$ava_code" -ne 0 ] || [ "$shim_code" -ne 0 ]; then
  status=1
  [ "$failed" -eq 0 ] && failed=1
fi
if [ "$ava_passed" -eq 0 ] || [ "$py_passed" -eq 0 ] || [ "${go_passed:-0}" -eq 0 ]; then
  echo "a suite ran no test (ava $ava_passed, pytest $py_passed, go $go_passed)" >&2
  status=1
fi
echo "suites: ava $ava_passed passed, $ava_failed failed; pytest $py_passed passed; go ${go_passed:-0} passed"
echo "total: $passed passed, $failed failed"
exit "$status"
