// Package vectors loads the shared vectors of test/vectors/ and checks one outcome against a vector, for the Go shim's
// harness and the launcher's (`run`); the same rules as the Node and Python harnesses (test/vectors/README.md).
// Rule: mismatches show a sandbox value's length, never the value; a vector is never loosened here.
package vectors

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/devsecrets/devsecrets/shims/go/internal/nodeeval"
)

// Vector is one file of test/vectors/.
type Vector struct {
	Name        string            `json:"-"`
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

// Failure is a shim's error as a harness saw it.
type Failure struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Hint    string `json:"hint"`
}

// Load reads every vector, in file name order; fewer than 15 fails the test.
func Load(t *testing.T) []Vector {
	files, err := filepath.Glob(filepath.Join(nodeeval.RepoRoot, "test", "vectors", "*.json"))
	if err != nil || len(files) < 15 {
		t.Fatalf("expected at least 15 vectors in test/vectors, found %d (%v)", len(files), err)
	}
	sort.Strings(files)
	var vectors []Vector
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var v Vector
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		v.Name = strings.TrimSuffix(filepath.Base(file), ".json")
		vectors = append(vectors, v)
	}
	return vectors
}

// CallerEnviron is the caller's environment of a run: the vector's environ, then its knobs (env, override, daemon) on top.
func (v Vector) CallerEnviron(unreachableSocket string) map[string]string {
	extra := map[string]string{"DEVSECRETS_NO_AUTOSTART": "1"}
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
		extra["DEVSECRETS_SOCKET"] = unreachableSocket
	}
	return extra
}

var keptLine = regexp.MustCompile(`(?m)^devsecrets: kept from your environment: ([^(\n]*)`)
var errorLines = regexp.MustCompile(`(?m)^devsecrets: error (DS_[A-Z_]+): (.*)\ndevsecrets: hint: (.*)$`)

// KeptFrom is the names of the `kept from your environment: A, B (...)` line of stderr.
func KeptFrom(stderr string) []string {
	var kept []string
	if m := keptLine.FindStringSubmatch(stderr); m != nil {
		for _, name := range strings.Split(m[1], ",") {
			if name = strings.TrimSpace(name); name != "" {
				kept = append(kept, name)
			}
		}
	}
	return kept
}

// ErrorFrom is the `devsecrets: error DS_X: message` and `devsecrets: hint: ...` lines of stderr, if any.
func ErrorFrom(stderr string) *Failure {
	if m := errorLines.FindStringSubmatch(stderr); m != nil {
		return &Failure{Code: m[1], Message: m[2], Hint: m[3]}
	}
	return nil
}

// Mismatches is every way the outcome differs from the vector's expectation; empty when it passes.
func (v Vector) Mismatches(environ map[string]string, kept []string, failure *Failure) []string {
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
				// deterministic vectors hold literals only: both sides may be shown
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
