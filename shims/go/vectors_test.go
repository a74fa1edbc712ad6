// The shared vectors through Load(ctx) in a child: the test binary re-executes itself as the app.
// Rule: the same expectations as the Node and Python harnesses (internal/vectors); mismatches never show a sandbox value.

package devsecrets

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devsecrets/devsecrets/shims/go/internal/impostor"
	"github.com/devsecrets/devsecrets/shims/go/internal/testworld"
	"github.com/devsecrets/devsecrets/shims/go/internal/vectors"
)

const childMarker = "DEVSECRETS_GO_TEST_CHILD"

// TestMain turns the test binary into the vector app when the marker is set: Load, then print the environment as JSON;
// or into an impostor listener (socket_check_test.go).
func TestMain(m *testing.M) {
	impostor.MainIfAsked()
	if os.Getenv(childMarker) == "1" {
		os.Unsetenv(childMarker)
		if err := Load(context.Background()); err != nil {
			_ = json.NewEncoder(os.Stdout).Encode(map[string]any{"error": err})
			os.Exit(1)
		}
		environ := map[string]string{}
		for _, pair := range os.Environ() {
			if name, value, ok := strings.Cut(pair, "="); ok {
				environ[name] = value
			}
		}
		_ = json.NewEncoder(os.Stdout).Encode(map[string]any{"environ": environ})
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestVectors(t *testing.T) {
	w := testworld.Started(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vectors.Load(t) {
		v := v
		t.Run(v.Name, func(t *testing.T) {
			extra := v.CallerEnviron(filepath.Join(w.Root, "nobody", "daemon.sock"))
			extra[childMarker] = "1"
			cmd := exec.Command(self)
			cmd.Dir = w.Project("go-"+v.Name, v.Files)
			cmd.Env = w.Environ(extra)
			var stdout, stderr testworld.SafeBuffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			_ = cmd.Run()
			var out struct {
				Environ map[string]string `json:"environ"`
				Error   *vectors.Failure  `json:"error"`
			}
			if err := json.Unmarshal([]byte(stdout.String()), &out); err != nil {
				t.Fatalf("the child printed no JSON (%v); stderr: %s", err, stderr.String())
			}
			for _, problem := range v.Mismatches(out.Environ, vectors.KeptFrom(stderr.String()), out.Error) {
				t.Errorf("%s: %s", v.Description, problem)
			}
		})
	}
}
