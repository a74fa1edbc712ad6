// The uid of the process listening on a connected Unix socket, from the kernel: LOCAL_PEERCRED (what getpeereid reads).
// Rule: built and vetted for macOS (GOOS=darwin go vet); only Linux runs the tests here (docs/security.md says so).

//go:build darwin || freebsd

package devsecrets

import (
	"errors"
	"net"

	"golang.org/x/sys/unix"
)

func peerUID(conn *net.UnixConn) (int, error) {
	raw, err := conn.SyscallConn()
	if err != nil {
		return -1, err
	}
	var cred *unix.Xucred
	var credErr error
	if err := raw.Control(func(fd uintptr) { cred, credErr = unix.GetsockoptXucred(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERCRED) }); err != nil {
		return -1, err
	}
	if credErr != nil {
		return -1, credErr
	}
	// XUCRED_VERSION is 0 on both systems (sys/ucred.h)
	if cred.Version != 0 {
		return -1, errors.New("an unknown xucred version")
	}
	return int(cred.Uid), nil
}
