// Runs a snippet of JavaScript on the repo's built code, for tests that take the Node CLI's own answer as the reference.
// Rule: node and dist/ are required (npm run build); their absence fails the test with the reason, never skips it.

package main

import (
	"testing"

	"github.com/devsecrets/devsecrets/shims/go/internal/nodeeval"
)

var repoRoot = nodeeval.RepoRoot

// nodeEval runs script as an ES module on the built CLI with input as JSON on stdin and decodes its stdout into out.
func nodeEval(t *testing.T, script string, input, out any) {
	t.Helper()
	nodeeval.Eval(t, []string{"dist/cli/run-child.js"}, script, input, out)
}

const readStdin = `const input = JSON.parse(await new Promise((r) => { let d = ""; process.stdin.on("data", (c) => (d += c)).on("end", () => r(d)); }));`
