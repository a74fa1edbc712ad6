// The shared vectors through Load(ctx) in a child: the test binary re-executes itself as the app.
// Rule: the same expectations as the Node and Python harnesses; mismatches name variables, never values.

package devsecrets

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/devsecrets/devsecrets/shims/go/internal/impostor"
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

type vector struct {
	name        string
	Description string            `json:"description"`
	Files       map[string]string `json:"files"`
	Env         string            `json:"env"`
	Environ     map[string]string `json:"environ"`
	Override    bool              `json:"override"`
	Daemon      string            `json:"daemon"`
	Expect      struct {
		Variables map[string]string `json:"variables"`
		Kept      []string          `json:"kept"`
		Shapes    map[string]string `json:"shapes"`
		Same      [][]string        `json:"same"`
		Error     string            `json:"error"`
		Message   string            `json:"message"`
	} `json:"expect"`
}

func loadVectors(t *testing.T) []vector {
	files, err := filepath.Glob(filepath.Join(repoRoot, "test", "vectors", "*.json"))
	if err != nil || len(files) < 15 {
		t.Fatalf("expected at least 15 vectors in test/vectors, found %d (%v)", len(files), err)
	}
	sort.Strings(files)
	var vectors []vector
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var v vector
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		v.name = strings.TrimSuffix(filepath.Base(file), ".json")
		vectors = append(vectors, v)
	}
	return vectors
}

var keptLine = regexp.MustCompile(`(?m)^devsecrets: kept from your environment: ([^(\n]*)`)

func TestVectors(t *testing.T) {
	w := newWorld(t)
	w.start(t)
	t.Cleanup(func() {
		if err := w.stop(); err != nil {
			t.Error(err)
		}
	})
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range loadVectors(t) {
		v := v
		t.Run(v.name, func(t *testing.T) {
			extra := map[string]string{childMarker: "1", "DEVSECRETS_NO_AUTOSTART": "1"}
			for name, value := range v.Environ {
				extra[name] = value
			}
			if v.Env != "" {
				extra["DEVSECRETS_ENV"] = v.Env
			}
			if v.Override {
				extra["DEVSECRETS_OVERRIDE"] = "1"
			}
			if v.Daemon == "unreachable" {
				extra["DEVSECRETS_SOCKET"] = filepath.Join(w.root, "nobody", "daemon.sock")
			}
			cmd := exec.Command(self)
			cmd.Dir = w.project("go-"+v.name, v.Files)
			cmd.Env = w.environ(extra)
			var stdout, stderr safeBuffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			_ = cmd.Run()
			var out struct {
				Environ map[string]string `json:"environ"`
				Error   *Error            `json:"error"`
			}
			if err := json.Unmarshal([]byte(stdout.String()), &out); err != nil {
				t.Fatalf("the child printed no JSON (%v); stderr: %s", err, stderr.String())
			}
			var kept []string
			if m := keptLine.FindStringSubmatch(stderr.String()); m != nil {
				for _, name := range strings.Split(m[1], ",") {
					if name = strings.TrimSpace(name); name != "" {
						kept = append(kept, name)
					}
				}
			}
			for _, problem := range mismatches(v, out.Environ, kept, out.Error) {
				t.Errorf("%s: %s", v.Description, problem)
			}
		})
	}
}

func mismatches(v vector, environ map[string]string, kept []string, failure *Error) []string {
	var problems []string
	e := v.Expect
	if e.Error != "" {
		if failure == nil {
			return []string{"expected error " + e.Error + ", the shim succeeded"}
		}
		if failure.Code != e.Error {
			problems = append(problems, fmt.Sprintf("expected error %s, got %s: %s", e.Error, failure.Code, failure.Message))
		}
		if e.Message != "" && !strings.Contains(failure.Message, e.Message) {
			problems = append(problems, fmt.Sprintf("error message %q lacks %q", failure.Message, e.Message))
		}
		if failure.Hint == "" {
			problems = append(problems, "the error has no hint")
		}
		return problems
	}
	if failure != nil {
		return []string{fmt.Sprintf("expected success, got %s: %s", failure.Code, failure.Message)}
	}
	if e.Variables != nil {
		for name, want := range e.Variables {
			if got, ok := environ[name]; !ok || got != want {
				problems = append(problems, fmt.Sprintf("%s: expected %q, got %q (set: %v)", name, want, got, ok))
			}
		}
		want := append([]string{}, e.Kept...)
		sort.Strings(want)
		sort.Strings(kept)
		if strings.Join(want, ",") != strings.Join(kept, ",") {
			problems = append(problems, fmt.Sprintf("kept: expected %v, got %v", want, kept))
		}
	}
	for name, pattern := range e.Shapes {
		value, ok := environ[name]
		if !ok {
			problems = append(problems, name+": not set")
		} else if !regexp.MustCompile(pattern).MatchString(value) {
			problems = append(problems, fmt.Sprintf("%s: %d chars do not match %s", name, len(value), pattern))
		}
	}
	for _, group := range e.Same {
		seen := map[string]bool{}
		for _, name := range group {
			seen[environ[name]] = true
		}
		if len(seen) != 1 || seen[""] {
			problems = append(problems, strings.Join(group, ", ")+": expected one shared value")
		}
	}
	return problems
}

// safeBuffer is a bytes.Buffer safe for the concurrent writes of exec's copying goroutines.
type safeBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *safeBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *safeBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
