// Whether a file descriptor is a terminal (isatty), with the ioctl of this system.
// Rule: stdlib only: no golang.org/x/term in the launcher.

package main

import "syscall"

const ioctlGetTermios = syscall.TCGETS
