// Where the system has no uids (Windows), a socket folder's owner cannot be known.
// Rule: unknown is unsafe: checkSocketFolder refuses it.

//go:build !unix

package devsecrets

import "io/fs"

func ownerAndMode(info fs.FileInfo) (owner int, mode uint32, known bool) {
	return -1, uint32(info.Mode().Perm()), false
}
