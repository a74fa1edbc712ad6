// The checks before anything is sent (DESIGN "Client checks"): unsafe socket folders and a listener of another uid are
// refused with DS_SOCKET_UNSAFE, and the impostor listening there receives nothing; a safe one is used.
// Rule: real folders, a real listener of uid 65534 (the tests run as root, as CI does), counted bytes.

package devsecrets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/devsecrets/devsecrets/shims/go/internal/impostor"
)

const nobody = 65534

// resolveOn asks for a resolve with environ as the whole environment, within a second.
func resolveOn(environ map[string]string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := ResolveAnswer(ctx, Options{Cwd: "/", Environ: environ})
	return err
}

func wantUnsafe(t *testing.T, err error, message string) {
	t.Helper()
	var failure *Error
	if !errors.As(err, &failure) || failure.Code != "DS_SOCKET_UNSAFE" || failure.Message != message || failure.Hint != SocketUnsafeHint {
		t.Fatalf("want DS_SOCKET_UNSAFE %q with the hint, got %#v", message, err)
	}
	if !strings.Contains(failure.Hint, "export DEVSECRETS_SOCKET=") {
		t.Errorf("the hint names no private socket path: %s", failure.Hint)
	}
}

func privateDir(t *testing.T, path string) string {
	t.Helper()
	if err := os.MkdirAll(path, 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAnOpenSocketFolderIsRefused(t *testing.T) {
	impostor.RequireRoot(t)
	dir := privateDir(t, filepath.Join(t.TempDir(), "open"))
	socket := filepath.Join(dir, "daemon.sock")
	im := impostor.Start(t, socket, 0)
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	wantUnsafe(t, resolveOn(map[string]string{"DEVSECRETS_SOCKET": socket}), fmt.Sprintf("the socket folder %s is not safe (owner 0, mode 0755)", dir))
	if got := im.Received(1, 300*time.Millisecond); len(got) != 0 {
		t.Errorf("the impostor got connections: %v", got)
	}
}

func TestASymlinkedSocketFolderIsRefused(t *testing.T) {
	impostor.RequireRoot(t)
	root := t.TempDir()
	real := privateDir(t, filepath.Join(root, "real"))
	im := impostor.Start(t, filepath.Join(real, "daemon.sock"), 0)
	link := filepath.Join(root, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	socket := filepath.Join(link, "daemon.sock")
	wantUnsafe(t, resolveOn(map[string]string{"DEVSECRETS_SOCKET": socket}), fmt.Sprintf("the socket folder %s is not safe (owner 0, mode 0777)", link))
	if got := im.Received(1, 300*time.Millisecond); len(got) != 0 {
		t.Errorf("the impostor got connections: %v", got)
	}
}

// issue 16's attack: without XDG_RUNTIME_DIR the socket is <tmp>/devsecrets-<uid>/, which another user can make first
func TestTheTmpFallbackFolderOfAnotherUserIsRefused(t *testing.T) {
	impostor.RequireRoot(t)
	tmp := t.TempDir()
	if err := os.Chmod(tmp, 0o1777); err != nil {
		t.Fatal(err)
	}
	dir := privateDir(t, filepath.Join(tmp, fmt.Sprintf("devsecrets-%d", os.Getuid())))
	if err := os.Chown(dir, nobody, nobody); err != nil {
		t.Fatal(err)
	}
	im := impostor.Start(t, filepath.Join(dir, "daemon.sock"), nobody)
	wantUnsafe(t, resolveOn(map[string]string{"TMPDIR": tmp}), fmt.Sprintf("the socket folder %s is not safe (owner %d, mode 0700)", dir, nobody))
	if got := im.Received(1, 300*time.Millisecond); len(got) != 0 {
		t.Errorf("the impostor got connections: %v", got)
	}
}

func TestAListenerOfAnotherUidIsRefusedBeforeTheRequest(t *testing.T) {
	impostor.RequireRoot(t)
	socket := filepath.Join(privateDir(t, filepath.Join(t.TempDir(), "run")), "daemon.sock")
	im := impostor.Start(t, socket, nobody)
	wantUnsafe(t, resolveOn(map[string]string{"DEVSECRETS_SOCKET": socket}), fmt.Sprintf("the daemon on %s runs as uid %d, not as you (uid 0)", socket, nobody))
	if got := im.Received(1, 5*time.Second); len(got) != 1 || got[0] != 0 {
		t.Errorf("the impostor should see one connection that sent 0 bytes, saw %v", got)
	}
}

// the control: the same impostor as our own uid in a private folder passes both checks and receives the request,
// so the zero counts above are the checks' doing
func TestTheImpostorRecordsWhatASafeSocketGets(t *testing.T) {
	impostor.RequireRoot(t)
	socket := filepath.Join(privateDir(t, filepath.Join(t.TempDir(), "run")), "daemon.sock")
	im := impostor.Start(t, socket, 0)
	var failure *Error
	if err := resolveOn(map[string]string{"DEVSECRETS_SOCKET": socket}); !errors.As(err, &failure) || failure.Code == "DS_SOCKET_UNSAFE" {
		t.Fatalf("a safe socket whose listener answers nothing: want a failure other than DS_SOCKET_UNSAFE, got %#v", err)
	}
	if got := im.Received(1, 5*time.Second); len(got) != 1 || got[0] == 0 {
		t.Errorf("the impostor should have received the request, saw %v", got)
	}
}

func TestOptionalLoadSaysTheUnsafeSocketAndSendsNothing(t *testing.T) {
	impostor.RequireRoot(t)
	socket := filepath.Join(privateDir(t, filepath.Join(t.TempDir(), "run")), "daemon.sock")
	im := impostor.Start(t, socket, nobody)
	t.Setenv("DEVSECRETS_SOCKET", socket)
	t.Setenv("DEVSECRETS_OPTIONAL", "1")
	var said bytes.Buffer
	Stderr = &said
	defer func() { Stderr = os.Stderr }()
	if err := Load(context.Background()); err != nil {
		t.Fatalf("optional Load returned %v", err)
	}
	want := fmt.Sprintf("devsecrets: error DS_SOCKET_UNSAFE: the daemon on %s runs as uid %d, not as you (uid 0)\ndevsecrets: hint: %s\n"+
		"devsecrets: continuing without the project's variables (DEVSECRETS_OPTIONAL=1)\n", socket, nobody, SocketUnsafeHint)
	if said.String() != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", said.String(), want)
	}
	if got := im.Received(1, 5*time.Second); len(got) != 1 || got[0] != 0 {
		t.Errorf("the impostor should see one connection that sent 0 bytes, saw %v", got)
	}
}

func TestAMissingSocketFolderIsUnreachableNotUnsafe(t *testing.T) {
	socket := filepath.Join(t.TempDir(), "absent", "daemon.sock")
	var failure *Error
	if err := resolveOn(map[string]string{"DEVSECRETS_SOCKET": socket}); !errors.As(err, &failure) || failure.Code != "DS_DAEMON_UNREACHABLE" ||
		failure.Message != "no daemon answers on "+socket+" (ENOENT)" {
		t.Errorf("want DS_DAEMON_UNREACHABLE (ENOENT), got %#v", err)
	}
}
