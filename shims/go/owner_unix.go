// The owner and mode of a folder as lstat gave them, where the system has uids.
// Rule: the raw st_uid and st_mode, not os.FileMode's rendering.

//go:build unix

package devsecrets

import (
	"io/fs"
	"syscall"
)

func ownerAndMode(info fs.FileInfo) (owner int, mode uint32, known bool) {
	stat, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return -1, uint32(info.Mode().Perm()), false
	}
	return int(stat.Uid), uint32(stat.Mode) & 0o7777, true
}
