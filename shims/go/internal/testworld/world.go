// Package testworld is a private world with a real daemon for the Go tests (its own HOME, XDG dirs, TMPDIR), shared by
// the shim's tests and the launcher's.
// Rule: the daemon is started and stopped with the CLI; one that lingers is stopped by its pid, never by name.
package testworld

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/devsecrets/devsecrets/shims/go/internal/nodeeval"
)

// World is one private world; Root holds its folders and projects, Env the environment every process in it gets.
type World struct {
	Root string
	Env  map[string]string
	pid  int
}

// New makes a world; it needs dist/ (npm run build) and node on PATH, and fails the test without them, never skips.
func New(t *testing.T) *World {
	t.Helper()
	if _, err := os.Stat(filepath.Join(nodeeval.RepoRoot, "dist", "daemon", "main.js")); err != nil {
		t.Fatalf("dist/daemon/main.js is missing: run npm run build")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("node is not on PATH: the tests need it to run the real daemon")
	}
	root, err := os.MkdirTemp("", "ds-go-")
	if err != nil {
		t.Fatal(err)
	}
	// DEVSECRETS_TRUST_ALL: the daemon trusts every project, as the TS and Python worlds do; a test of trust deletes it
	w := &World{Root: root, Env: map[string]string{"PATH": os.Getenv("PATH"), "LANG": "C.UTF-8", "DEVSECRETS_START_TIMEOUT_MS": "15000", "DEVSECRETS_TRUST_ALL": "1"}}
	for name, dir := range map[string]string{"HOME": "home", "XDG_RUNTIME_DIR": "run", "XDG_STATE_HOME": "state", "XDG_CONFIG_HOME": "config", "TMPDIR": "tmp"} {
		path := filepath.Join(root, dir)
		if err := os.Mkdir(path, 0o700); err != nil {
			t.Fatal(err)
		}
		w.Env[name] = path
	}
	return w
}

// Started is New with its daemon started, stopped (and the world removed) by the test's cleanup.
func Started(t *testing.T) *World {
	t.Helper()
	w := New(t)
	w.Start(t)
	t.Cleanup(func() {
		if err := w.Stop(); err != nil {
			t.Error(err)
		}
	})
	return w
}

// Environ is the world's environment with extra on top, as os/exec wants it.
func (w *World) Environ(extra map[string]string) []string {
	var out []string
	for name, value := range w.Env {
		if _, replaced := extra[name]; !replaced {
			out = append(out, name+"="+value)
		}
	}
	for name, value := range extra {
		out = append(out, name+"="+value)
	}
	return out
}

func (w *World) cli(args ...string) (string, string, error) {
	cmd := exec.Command("node", append([]string{filepath.Join(nodeeval.RepoRoot, "bin", "devsecrets.js")}, args...)...)
	cmd.Env = w.Environ(map[string]string{"DEVSECRETS_NO_AUTOSTART": "1"})
	cmd.Dir = w.Root
	var stdout, stderr SafeBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

// Start starts the world's daemon with `devsecrets daemon start` and notes its pid.
func (w *World) Start(t *testing.T) {
	t.Helper()
	if _, stderr, err := w.cli("daemon", "start"); err != nil {
		t.Fatalf("devsecrets daemon start failed: %v: %s", err, stderr)
	}
	stdout, stderr, err := w.cli("daemon", "status", "--json")
	if err != nil {
		t.Fatalf("devsecrets daemon status failed: %v: %s", err, stderr)
	}
	var status struct{ Pid int }
	if err := json.Unmarshal([]byte(stdout), &status); err != nil {
		t.Fatal(err)
	}
	w.pid = status.Pid
}

// Stop stops the daemon (by its pid if `daemon stop` leaves it running, which is then an error) and removes the world.
func (w *World) Stop() error {
	defer os.RemoveAll(w.Root)
	_, _, _ = w.cli("daemon", "stop")
	if w.pid == 0 || waitGone(w.pid, 5*time.Second) {
		return nil
	}
	_ = syscall.Kill(w.pid, syscall.SIGTERM)
	if !waitGone(w.pid, 3*time.Second) {
		_ = syscall.Kill(w.pid, syscall.SIGKILL)
	}
	return fmt.Errorf("the daemon (pid %d) did not exit after devsecrets daemon stop", w.pid)
}

// Project writes files into a new folder name of the world and returns its path.
func (w *World) Project(name string, files map[string]string) string {
	dir := filepath.Join(w.Root, name)
	_ = os.MkdirAll(dir, 0o755)
	for file, text := range files {
		_ = os.WriteFile(filepath.Join(dir, file), []byte(text), 0o644)
	}
	return dir
}

func waitGone(pid int, within time.Duration) bool {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if syscall.Kill(pid, 0) != nil {
			return true
		}
		time.Sleep(25 * time.Millisecond)
	}
	return false
}

// SafeBuffer is a bytes.Buffer safe for the concurrent writes of exec's copying goroutines.
type SafeBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SafeBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *SafeBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
