// Package nodeeval runs a snippet of JavaScript on the repo's built code, for Go tests whose reference is the TS code.
// Rule: node and the dist/ files a test names are required (npm run build); their absence fails the test, never skips it.
package nodeeval

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// RepoRoot is the repository's root (four folders above this file: shims/go/internal/nodeeval).
var RepoRoot = func() string {
	_, file, _, _ := runtime.Caller(0)
	root, _ := filepath.Abs(filepath.Join(filepath.Dir(file), "..", "..", "..", ".."))
	return root
}()

// Eval runs script as an ES module in RepoRoot with input as JSON on stdin, and decodes its stdout (JSON) into out.
// needs are files under RepoRoot (built by npm run build) the script imports.
func Eval(t testing.TB, needs []string, script string, input, out any) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not on PATH: this test takes the TS code's answer as the reference")
	}
	for _, need := range needs {
		if _, err := os.Stat(filepath.Join(RepoRoot, need)); err != nil {
			t.Fatalf("%s is missing: run npm run build", need)
		}
	}
	payload, err := json.Marshal(input)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "--input-type=module", "-e", script)
	cmd.Dir = RepoRoot
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
