// Our error lines against cli/output.ts's renderError, byte for byte, and our code table against the TS one.
// Rule: the TS code is the reference; a code added there without a copy here fails this test.

package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/devsecrets/devsecrets/shims/go/internal/nodeeval"
)

func capture(t *testing.T, f func()) (string, string) {
	t.Helper()
	var out, err bytes.Buffer
	stdout, stderr = &out, &err
	defer func() { stdout, stderr = os.Stdout, os.Stderr }()
	f()
	return out.String(), err.String()
}

func TestRenderMatchesRenderError(t *testing.T) {
	failures := []*failure{
		{"DS_REF_SYNTAX", `bad "ref" at devsecrets.env:3 <tag> & \ back` + "\n\t\u2028\u0001 é 🔑", "fix it"},
		{"DS_USAGE", "run needs a command", "run the command with --help"},
		{"DS_CANCELLED", "cancelled", "run the command again when you are ready"},
		{"DS_CHILD_SPAWN", "could not start nope (ENOENT)", childSpawnHint},
	}
	type rendered struct {
		Stdout string `json:"stdout"`
		Stderr string `json:"stderr"`
		Code   int    `json:"code"`
	}
	var input []map[string]string
	for _, f := range failures {
		input = append(input, map[string]string{"code": f.code, "message": f.message, "hint": f.hint})
	}
	var want [][2]rendered
	nodeEval(t, `import { renderError } from "./dist/cli/output.js"; import { DevsecretsError } from "./dist/common/errors.js";`+readStdin+`
		const out = [];
		for (const e of input) {
			const pair = [];
			for (const json of [false, true]) {
				let stdout = "", stderr = "";
				const o = process.stdout.write, r = process.stderr.write;
				process.stdout.write = (s) => { stdout += s; return true; };
				process.stderr.write = (s) => { stderr += s; return true; };
				const code = renderError(new DevsecretsError(e.code, e.message, { hint: e.hint }), json);
				process.stdout.write = o; process.stderr.write = r;
				pair.push({ stdout, stderr, code });
			}
			out.push(pair);
		}
		process.stdout.write(JSON.stringify(out));`, input, &want)
	for i, f := range failures {
		for j, asJSON := range []bool{false, true} {
			var code int
			gotOut, gotErr := capture(t, func() { code = render(f, asJSON) })
			if w := want[i][j]; gotOut != w.Stdout || gotErr != w.Stderr || code != w.Code {
				t.Errorf("%s json=%v:\n got  %q %q %d\n want %q %q %d", f.code, asJSON, gotOut, gotErr, code, w.Stdout, w.Stderr, w.Code)
			}
		}
	}
}

func TestErrorCodesMatchTheTable(t *testing.T) {
	// the built table itself, not a pattern over its source: the formatter may lay an entry over several lines
	var table map[string]struct {
		Hint string `json:"hint"`
		Exit int    `json:"exit"`
	}
	nodeeval.Eval(t, []string{"dist/daemon/protocol/error-codes.js"}, `import { ERROR_CODES } from "./dist/daemon/protocol/error-codes.js";`+
		`process.stdout.write(JSON.stringify(ERROR_CODES));`, nil, &table)
	if len(table) < 30 {
		t.Fatalf("found only %d codes in daemon/protocol/error-codes.ts", len(table))
	}
	for code, info := range table {
		if got := exitCodeOf(code); got != info.Exit {
			t.Errorf("%s exits %d here, %d in the TS table", code, got, info.Exit)
		}
	}
	if table["DS_CHILD_SPAWN"].Hint != childSpawnHint {
		t.Errorf("DS_CHILD_SPAWN's hint differs from the TS table's: %q", table["DS_CHILD_SPAWN"].Hint)
	}
	for code := range exitCodes {
		if _, ok := table[code]; !ok {
			t.Errorf("%s is in error-codes.go but not in daemon/protocol/error-codes.ts", code)
		}
	}
}

func TestWantsJSONAnywhereAfterRun(t *testing.T) {
	if !wantsJSON([]string{"--", "jq", "--json"}) || wantsJSON([]string{"--", "x", "--json=1"}) {
		t.Error("--json counts anywhere after run, as an exact word")
	}
}
