// Finding the command in the child's PATH as libuv does: the first executable file, EACCES when only unrunnable ones exist.
// Rule: real files in a temp folder, no mocks.

package main

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"
)

func TestCandidates(t *testing.T) {
	if got := candidates("./app", []string{"PATH=/a"}); !reflect.DeepEqual(got, []string{"./app"}) {
		t.Errorf("a path is used as it is: %q", got)
	}
	if got := candidates("app", []string{"HOME=/h", "PATH=/a::/b"}); !reflect.DeepEqual(got, []string{"/a/app", "app", "/b/app"}) {
		t.Errorf("an empty entry is the working directory: %q", got)
	}
	if got := candidates("app", nil); !reflect.DeepEqual(got, []string{"/usr/bin/app", "/bin/app"}) {
		t.Errorf("no PATH: %q", got)
	}
}

func TestLookPathSkipsWhatCannotRun(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"dirs/tool", "plain", "exec"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "plain", "tool"), []byte("#!/bin/sh\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "exec", "tool"), []byte("#!/bin/sh\n"), 0o755)
	path := "PATH=" + filepath.Join(dir, "missing") + ":" + filepath.Join(dir, "dirs") + ":" + filepath.Join(dir, "plain") + ":" + filepath.Join(dir, "exec")
	if got, err := lookPath("tool", []string{path}); err != nil || got != filepath.Join(dir, "exec", "tool") {
		t.Errorf("got %q %v", got, err)
	}
	_, err := lookPath("tool", []string{"PATH=" + filepath.Join(dir, "plain")})
	if !errors.Is(err, syscall.EACCES) || errnoName(err) != "EACCES" {
		t.Errorf("only a file without x: got %v", err)
	}
	_, err = lookPath("nothing-here", []string{"PATH=" + dir})
	if errnoName(err) != "ENOENT" {
		t.Errorf("nothing: got %v", err)
	}
	if f := spawnFailure("nothing-here", err); f.message != "could not start nothing-here (ENOENT)" || f.code != "DS_CHILD_SPAWN" {
		t.Errorf("got %+v", f)
	}
}
