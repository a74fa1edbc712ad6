// HTTP/1.1 to the daemon over its Unix socket, with net/http and a DialContext that checks the socket first.
// Rule: a socket nobody listens on is DS_DAEMON_UNREACHABLE with the socket path and errno; an unsafe one is
// DS_SOCKET_UNSAFE, and then not one byte was written to it.

package devsecrets

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// Version is sent as X-Devsecrets-Version.
const Version = "0.2.0"

// SocketPath is $DEVSECRETS_SOCKET, else $XDG_RUNTIME_DIR/devsecrets/daemon.sock, else <tmp>/devsecrets-<uid>/daemon.sock
// where <tmp> is Node's os.tmpdir(): $TMPDIR, $TMP, $TEMP, else /tmp (common/paths.ts).
func SocketPath(getenv func(string) string) string {
	if s := getenv("DEVSECRETS_SOCKET"); s != "" {
		return s
	}
	if d := getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "devsecrets", "daemon.sock")
	}
	tmp := "/tmp"
	for _, name := range []string{"TMPDIR", "TMP", "TEMP"} {
		if dir := getenv(name); dir != "" {
			tmp = dir
			break
		}
	}
	return filepath.Join(tmp, fmt.Sprintf("devsecrets-%d", os.Getuid()), "daemon.sock")
}

func post(ctx context.Context, socket, route string, body any) ([]byte, error) {
	reply, err := Exchange(ctx, socket, route, body)
	if err != nil {
		return nil, err
	}
	if reply.Status < 200 || reply.Status > 299 {
		var failure struct {
			Error *Error `json:"error"`
		}
		if json.Unmarshal(reply.Body, &failure) == nil && failure.Error != nil && failure.Error.Code != "" {
			return nil, failure.Error
		}
		return nil, &Error{Code: "DS_INTERNAL", Message: fmt.Sprintf("the daemon answered with status %d", reply.Status), Hint: "see docs/errors.md"}
	}
	return reply.Body, nil
}

// noAnswer is the *Error of an exchange that got no answer: err itself when it is one, DS_DAEMON_UNREACHABLE when nobody
// listens on the socket, else DS_INTERNAL.
func noAnswer(err error, socket, route string) error {
	var failure *Error
	if errors.As(err, &failure) {
		return failure
	}
	if errno, ok := unreachable(err); ok {
		return &Error{Code: "DS_DAEMON_UNREACHABLE", Message: fmt.Sprintf("no daemon answers on %s (%s)", socket, errno), Hint: UnreachableHint}
	}
	return &Error{Code: "DS_INTERNAL", Message: fmt.Sprintf("the daemon did not answer %s (%v)", route, err), Hint: "see the daemon log (devsecrets doctor prints where it is)"}
}

// unreachable reports the errno name when nobody listens on the socket.
func unreachable(err error) (string, bool) {
	for name, errno := range map[string]syscall.Errno{"ENOENT": syscall.ENOENT, "ECONNREFUSED": syscall.ECONNREFUSED, "ENOTSOCK": syscall.ENOTSOCK} {
		if errors.Is(err, errno) {
			return name, true
		}
	}
	return "", false
}

// Reply is one whole answer of the daemon, error answers included, with the version the daemon says it runs.
type Reply struct {
	Status  int
	Version string // the daemon's X-Devsecrets-Version answer header
	Body    []byte
}

// Exchange posts body to route and returns the daemon's answer whatever its status, for a caller that must see the
// version or render an error answer itself (cmd/devsecrets-run). It sends the headers of the Node client
// (daemon/client/client.ts), the caller's pid included. An error means no answer: DS_SOCKET_UNSAFE (nothing was sent),
// DS_DAEMON_UNREACHABLE or DS_INTERNAL.
func Exchange(ctx context.Context, socket, route string, body any) (*Reply, error) {
	payload, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	if err := checkSocketFolder(socket); err != nil {
		return nil, noAnswer(err, socket, route)
	}
	var d net.Dialer
	var refused error
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			conn, err := d.DialContext(ctx, "unix", socket)
			if err != nil {
				return nil, err
			}
			// before net/http writes the request: a listener of another uid gets a connection closed unused
			if refused = checkListener(conn, socket); refused != nil {
				conn.Close()
				return nil, refused
			}
			return conn, nil
		},
		DisableKeepAlives:  true, // one request per process: nothing to keep
		DisableCompression: true, // no Accept-Encoding, as the Node client
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://devsecrets"+route, bytes.NewReader(payload))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Devsecrets-Version", Version)
	req.Header.Set("X-Devsecrets-Pid", strconv.Itoa(os.Getpid()))
	req.Header.Set("User-Agent", "") // none, as the Node client
	resp, err := client.Do(req)
	if refused != nil {
		return nil, refused
	}
	if err != nil {
		return nil, noAnswer(err, socket, route)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, &Error{Code: "DS_INTERNAL", Message: "the daemon's answer was cut short", Hint: "see the daemon log (devsecrets doctor prints where it is)"}
	}
	return &Reply{Status: resp.StatusCode, Version: resp.Header.Get("X-Devsecrets-Version"), Body: raw}, nil
}
