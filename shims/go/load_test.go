// Resolve and Load beyond the vectors: options beat the environment, *Error's fields, optional mode.

package devsecrets

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devsecrets/devsecrets/shims/go/internal/testworld"
)

func TestResolveOptionsAndErrors(t *testing.T) {
	w := testworld.Started(t)
	ctx := context.Background()
	dir := w.Project("go-options", map[string]string{"devsecrets.env": "PORT=3000\n", "devsecrets.staging.env": "PORT=3100\n"})
	environ := map[string]string{"PORT": "4000", "XDG_RUNTIME_DIR": w.Env["XDG_RUNTIME_DIR"]}

	kept, err := ResolveAnswer(ctx, Options{Cwd: dir, Environ: environ})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := kept.Variables["PORT"]; ok || len(kept.Kept) != 1 || kept.Kept[0] != "PORT" {
		t.Errorf("the caller's PORT should be kept, got variables %v kept %v", len(kept.Variables), kept.Kept)
	}

	yes := true
	vars, err := Resolve(ctx, Options{Cwd: dir, Environ: environ, Env: "staging", Override: &yes})
	if err != nil {
		t.Fatal(err)
	}
	if vars["PORT"] != "3100" {
		t.Errorf("override in staging: PORT = %q, want 3100", vars["PORT"])
	}

	broken := w.Project("go-cycle", map[string]string{"devsecrets.env": "A=${B}\nB=${A}\n"})
	_, err = Resolve(ctx, Options{Cwd: broken, Environ: environ})
	var failure *Error
	if !errors.As(err, &failure) || failure.Code != "DS_REF_CYCLE" || failure.Hint == "" || !strings.HasPrefix(err.Error(), "DS_REF_CYCLE: ") {
		t.Errorf("want a *Error DS_REF_CYCLE with a hint, got %#v", err)
	}
}

func TestLoadOptionalWarnsAndContinues(t *testing.T) {
	dir := privateDir(t, filepath.Join(t.TempDir(), "run")) // t.TempDir's own folder is 0755: an unsafe socket folder
	t.Setenv("DEVSECRETS_SOCKET", filepath.Join(dir, "none.sock"))
	t.Setenv("DEVSECRETS_OPTIONAL", "1")
	var said bytes.Buffer
	Stderr = &said
	defer func() { Stderr = os.Stderr }()
	if err := Load(context.Background()); err != nil {
		t.Fatalf("optional Load returned %v", err)
	}
	if !strings.Contains(said.String(), "devsecrets: error DS_DAEMON_UNREACHABLE: no daemon answers on ") {
		t.Errorf("stderr: %s", said.String())
	}

	t.Setenv("DEVSECRETS_OPTIONAL", "")
	err := Load(context.Background())
	var failure *Error
	if !errors.As(err, &failure) || failure.Code != "DS_DAEMON_UNREACHABLE" || failure.Hint != UnreachableHint {
		t.Errorf("want DS_DAEMON_UNREACHABLE with the shared hint, got %#v", err)
	}
}
