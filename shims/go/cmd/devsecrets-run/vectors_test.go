// The shared vectors through `run`: the launcher, built from this source, runs the test binary as its command, against
// a real daemon; what it cannot do itself (no daemon) it hands to the Node CLI, as installed.
// Rule: the same expectations as the shims' harnesses (internal/vectors); the child writes its environment to a file.

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/devsecrets/devsecrets/shims/go/internal/nodeeval"
	"github.com/devsecrets/devsecrets/shims/go/internal/testworld"
	"github.com/devsecrets/devsecrets/shims/go/internal/vectors"
)

// buildLauncher builds this package to <tmp>/dist/native/devsecrets-run beside <tmp>/bin -> the repo's bin/, the layout
// in which fallBack finds bin/devsecrets.js
func buildLauncher(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	launcher := filepath.Join(root, "dist", "native", "devsecrets-run")
	build := exec.Command("go", "build", "-o", launcher, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v: %s", err, out)
	}
	if err := os.Symlink(filepath.Join(nodeeval.RepoRoot, "bin"), filepath.Join(root, "bin")); err != nil {
		t.Fatal(err)
	}
	return launcher
}

func TestVectorsThroughRun(t *testing.T) {
	launcher := buildLauncher(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	w := testworld.Started(t)
	for _, v := range vectors.Load(t) {
		v := v
		t.Run(v.Name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "environ.json")
			extra := v.CallerEnviron(filepath.Join(w.Root, "nobody", "daemon.sock"))
			extra[runChildMarker] = out
			cmd := exec.Command(launcher, "run", "--", self)
			cmd.Dir = w.Project("run-"+v.Name, v.Files)
			cmd.Env = w.Environ(extra)
			var stderr testworld.SafeBuffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			failure := vectors.ErrorFrom(stderr.String())
			var environ map[string]string
			if err == nil {
				raw, readErr := os.ReadFile(out)
				if readErr != nil || json.Unmarshal(raw, &environ) != nil {
					t.Fatalf("run exited 0 but the child wrote no environment; stderr: %s", stderr.String())
				}
			} else if failure == nil {
				t.Fatalf("run failed (%v) without an error line: %s", err, stderr.String())
			}
			for _, problem := range v.Mismatches(environ, vectors.KeptFrom(stderr.String()), failure) {
				t.Errorf("%s: %s", v.Description, problem)
			}
		})
	}
}
