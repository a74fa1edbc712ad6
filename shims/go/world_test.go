// A private world with a real daemon for the Go shim's tests (its own HOME, XDG dirs, TMPDIR).
// Rule: the daemon is started and stopped with the CLI; one that lingers is stopped by its pid, never by name.

package devsecrets

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

var repoRoot, _ = filepath.Abs(filepath.Join("..", ".."))

type world struct {
	root string
	env  map[string]string
	pid  int
}

func newWorld(t *testing.T) *world {
	t.Helper()
	if _, err := os.Stat(filepath.Join(repoRoot, "dist", "daemon", "main.js")); err != nil {
		t.Fatalf("dist/daemon/main.js is missing: run npm run build")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("node is not on PATH: the tests need it to run the real daemon")
	}
	root, err := os.MkdirTemp("", "ds-go-")
	if err != nil {
		t.Fatal(err)
	}
	w := &world{root: root, env: map[string]string{"PATH": os.Getenv("PATH"), "LANG": "C.UTF-8", "DEVSECRETS_START_TIMEOUT_MS": "15000"}}
	for name, dir := range map[string]string{"HOME": "home", "XDG_RUNTIME_DIR": "run", "XDG_STATE_HOME": "state", "XDG_CONFIG_HOME": "config", "TMPDIR": "tmp"} {
		path := filepath.Join(root, dir)
		if err := os.Mkdir(path, 0o700); err != nil {
			t.Fatal(err)
		}
		w.env[name] = path
	}
	return w
}

func (w *world) environ(extra map[string]string) []string {
	var out []string
	for name, value := range w.env {
		out = append(out, name+"="+value)
	}
	for name, value := range extra {
		out = append(out, name+"="+value)
	}
	return out
}

func (w *world) cli(args ...string) (string, string, error) {
	cmd := exec.Command("node", append([]string{filepath.Join(repoRoot, "bin", "devsecrets.js")}, args...)...)
	cmd.Env = w.environ(map[string]string{"DEVSECRETS_NO_AUTOSTART": "1"})
	cmd.Dir = w.root
	var stdout, stderr safeBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

func (w *world) start(t *testing.T) {
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

func (w *world) stop() error {
	defer os.RemoveAll(w.root)
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

func (w *world) project(name string, files map[string]string) string {
	dir := filepath.Join(w.root, name)
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
