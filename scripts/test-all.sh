#!/usr/bin/env bash
# `npm test` after the build: every suite (ava; the Python and Go shims' own runners) on the Node on PATH (CI: 24), then
# the unit, e2e and shim-vector suites again on Node 22 and 26 (.ci/run installs them), then one closing total.
# Rule: exits non-zero when lint fails or any suite fails or runs no test; a missing Node 22 or 26 fails loudly (with
# its install command); the per-version counts and the wall time come before the last line, "total: N passed, N failed".
set -u
cd "$(dirname "$0")/.."
started=$(date +%s)
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

# Node 22 and 26: the suites whose code runs on the user's Node (CLI, client, preloads, shims' vectors against a daemon
# on that Node). PATH puts that Node first, so the CLI, the daemon and the apps the tests spawn run on it too.
other_passed=0
other_failed=0
other_lines=()
other_status=0
# the versions test/helpers/node-versions.ts and .ci/run name
for version in 22.23.3 26.10.0; do
  bin="${HOME}/.cache/devsecrets-ci/node-${version}/node_modules/node/bin"
  if [ ! -x "$bin/node" ]; then
    echo "node ${version}: FAILED: not installed at $bin (bash .ci/run, or npm install --prefix ${HOME}/.cache/devsecrets-ci/node-${version} node@${version})" >&2
    other_lines+=("node ${version}: not installed")
    other_failed=$((other_failed + 1))
    other_status=1
    continue
  fi
  echo "== node ${version}: unit, e2e and shim-vector suites"
  PATH="$bin:$PATH" node node_modules/ava/entrypoints/cli.mjs \
    'dist/test/unit/**/*.test.js' 'dist/test/e2e/**/*.test.js' dist/test/integration/vectors-node.test.js \
    2>&1 | tee "$log/ava-$version"
  code=${PIPESTATUS[0]}
  (cd shims/python && PATH="$bin:$PATH" python3 -m pytest -q -p no:cacheprovider tests/test_vectors.py) 2>&1 |
    tee "$log/py-$version"
  py_code=${PIPESTATUS[0]}
  (cd shims/go && PATH="$bin:$PATH" go test -count=1 -v -run '^TestVectors$' . 2>&1) >"$log/go-$version"
  go_code=$?
  grep -E '^(ok|FAIL|\?) |--- FAIL' "$log/go-$version" || true
  a_passed=$(grep -cE '^\s*✔' "$log/ava-$version" || true)
  a_failed=$(count '[0-9]+ tests? failed' "$log/ava-$version")
  p_passed=$(count '[0-9]+ passed' "$log/py-$version")
  p_failed=$(count '[0-9]+ failed' "$log/py-$version")
  g_passed=$(grep -cE '^\s*--- PASS' "$log/go-$version" || true)
  g_failed=$(grep -cE '^\s*--- FAIL' "$log/go-$version" || true)
  v_failed=$((a_failed + p_failed + g_failed))
  if [ "$code" -ne 0 ] || [ "$py_code" -ne 0 ] || [ "$go_code" -ne 0 ]; then
    other_status=1
    [ "$v_failed" -eq 0 ] && v_failed=1
  fi
  if [ "$a_passed" -eq 0 ] || [ "$p_passed" -eq 0 ] || [ "$g_passed" -eq 0 ]; then
    echo "node ${version}: a suite ran no test (ava $a_passed, pytest $p_passed, go $g_passed)" >&2
    other_status=1
  fi
  other_lines+=("node ${version}: ava $a_passed passed, $a_failed failed; pytest vectors $p_passed passed; go vectors $g_passed passed")
  other_passed=$((other_passed + a_passed + p_passed + g_passed))
  other_failed=$((other_failed + v_failed))
done

passed=$((ava_passed + py_passed + ${go_passed:-0} + other_passed))
failed=$((ava_failed + py_failed + ${go_failed:-0} + other_failed))
[ "$other_status" -ne 0 ] && status=1
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
# the failures' names again just above the totals: a CI report that keeps only the output's tail still names them
failures=$(cat "$log"/ava* "$log"/shims "$log"/py-* "$log"/go-* 2>/dev/null |
  grep -E '^\s*✘|^FAILED |^\s*--- FAIL' | sed -E 's/^\s+//' | sort -u | head -n 40)
if [ -n "$failures" ]; then
  echo "failed tests:"
  printf '%s\n' "$failures" | sed 's/^/  /'
fi
echo "node $(node --version | tr -d v): ava $ava_passed passed, $ava_failed failed; pytest $py_passed passed; go ${go_passed:-0} passed"
for line in "${other_lines[@]}"; do echo "$line"; done
elapsed=$(($(date +%s) - started))
echo "wall time: $((elapsed / 60)) min $((elapsed % 60)) s (npm test after the build)"
echo "total: $passed passed, $failed failed"
exit "$status"
