// Where no peer credentials can be read, the listener's uid is unknown.
// Rule: unknown is unsafe: checkListener refuses it and nothing is sent.

//go:build !linux && !darwin && !freebsd

package devsecrets

import (
	"errors"
	"net"
)

func peerUID(*net.UnixConn) (int, error) {
	return -1, errors.New("no peer credentials on this system")
}
