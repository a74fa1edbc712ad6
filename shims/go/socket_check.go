// What a client checks before a byte goes to the daemon: the socket's folder is a real folder of the caller's, closed to
// everyone else, and the process listening on the socket runs as the caller.
// Rule: on any doubt DS_SOCKET_UNSAFE naming the path, nothing sent, and no other path tried in its place.

package devsecrets

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"syscall"
)

// SocketUnsafeHint is what every client says with DS_SOCKET_UNSAFE: a socket path in a folder only the user can open.
const SocketUnsafeHint = `use a folder only you can open: export DEVSECRETS_SOCKET="$HOME/.devsecrets/daemon.sock" ` +
	"(devsecrets creates it 0700), and remove the unsafe folder if you did not make it"

// checkSocketFolder lstats the socket's folder. A folder that does not exist is returned as the file system's error (no
// daemon can listen there: the caller reports it unreachable); one that exists must be a directory, not a symlink, owned
// by the caller's uid, with no permission for group or other.
func checkSocketFolder(socket string) error {
	dir := filepath.Dir(socket)
	info, err := os.Lstat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return &Error{Code: "DS_SOCKET_UNSAFE", Message: fmt.Sprintf("the socket folder %s cannot be checked (%s)", dir, errnoName(err)), Hint: SocketUnsafeHint}
	}
	owner, mode, known := ownerAndMode(info)
	if !known || info.Mode()&fs.ModeType != fs.ModeDir || owner != os.Getuid() || mode&0o077 != 0 {
		return &Error{Code: "DS_SOCKET_UNSAFE", Message: fmt.Sprintf("the socket folder %s is not safe (owner %d, mode %04o)", dir, owner, mode), Hint: SocketUnsafeHint}
	}
	return nil
}

// checkListener asks the kernel who listens on the connected socket (peer credentials) and refuses any uid but ours.
func checkListener(conn net.Conn, socket string) error {
	unixConn, ok := conn.(*net.UnixConn)
	if !ok {
		return &Error{Code: "DS_SOCKET_UNSAFE", Message: fmt.Sprintf("who listens on %s cannot be checked (not a Unix socket)", socket), Hint: SocketUnsafeHint}
	}
	uid, err := peerUID(unixConn)
	if err != nil {
		return &Error{Code: "DS_SOCKET_UNSAFE", Message: fmt.Sprintf("who listens on %s cannot be checked (%s)", socket, errnoName(err)), Hint: SocketUnsafeHint}
	}
	if me := os.Getuid(); uid != me {
		return &Error{Code: "DS_SOCKET_UNSAFE", Message: fmt.Sprintf("the daemon on %s runs as uid %d, not as you (uid %d)", socket, uid, me), Hint: SocketUnsafeHint}
	}
	return nil
}

// errnoName is the errno's name (EACCES) when err holds one, else its text.
func errnoName(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		for name, known := range map[string]syscall.Errno{"EACCES": syscall.EACCES, "EPERM": syscall.EPERM, "ELOOP": syscall.ELOOP, "ENAMETOOLONG": syscall.ENAMETOOLONG, "EIO": syscall.EIO, "EINVAL": syscall.EINVAL, "ENOTDIR": syscall.ENOTDIR, "ENOPROTOOPT": syscall.ENOPROTOOPT} {
			if errno == known {
				return name
			}
		}
		return errno.Error()
	}
	return err.Error()
}
