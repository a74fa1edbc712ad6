// Runs a snippet of JavaScript on the repo's built code, for tests that take the Node CLI's own answer as the reference.
// Rule: node and dist/ are required (npm run build); their absence fails the test with the reason, never skips it.

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var repoRoot, _ = filepath.Abs(filepath.Join("..", "..", "..", ".."))

// nodeEval runs script as an ES module with input as JSON on stdin and decodes its stdout (JSON) into out.
func nodeEval(t *testing.T, script string, input, out any) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not on PATH: these tests compare with the Node CLI")
	}
	if _, err := os.Stat(filepath.Join(repoRoot, "dist", "cli", "run-child.js")); err != nil {
		t.Fatal("dist/cli/run-child.js is missing: run npm run build")
	}
	payload, _ := json.Marshal(input)
	cmd := exec.Command(node, "--input-type=module", "-e", script)
	cmd.Dir = repoRoot
	cmd.Stdin = strings.NewReader(string(payload))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v: %s", err, stderr.String())
	}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("node's output is not JSON: %v", err)
	}
}

const readStdin = `const input = JSON.parse(await new Promise((r) => { let d = ""; process.stdin.on("data", (c) => (d += c)).on("end", () => r(d)); }));`
