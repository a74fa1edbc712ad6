// isTerminal: what process.stdout.isTTY asks, one ioctl that only a terminal answers.
// Rule: asked before anything is printed or resolved; the answer decides Node (a pty for masking) or us.

package main

import (
	"syscall"
	"unsafe"
)

func isTerminal(fd int) bool {
	var t syscall.Termios
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), ioctlGetTermios, uintptr(unsafe.Pointer(&t)))
	return errno == 0
}
