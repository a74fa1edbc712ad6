// Signal dispositions set by hand where os/signal cannot: SIG_DFL to die of the child's signal, and a clean slate for exec.
// Rule: raw rt_sigaction / rt_sigprocmask on a locked thread, only just before exec or death.

package main

import (
	"os"
	"runtime"
	"syscall"
	"unsafe"
)

// sigaction is the kernel's struct sigaction on Linux (handler, flags, restorer, mask); zero is SIG_DFL.
type sigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}

const sigIgn = 1

func setDefault(sig syscall.Signal) {
	var sa sigaction
	syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&sa)), 0, 8, 0, 0)
}

func unblockAll() {
	var none uint64
	syscall.RawSyscall6(syscall.SYS_RT_SIGPROCMASK, 2 /* SIG_SETMASK */, uintptr(unsafe.Pointer(&none)), 0, 8, 0, 0)
}

// prepareSignalsForExec: exec resets caught signals but keeps ignored ones and the blocked mask; libuv's children start
// with neither (a `run ... &` in a script must not leave the app deaf to SIGINT).
func prepareSignalsForExec() {
	runtime.LockOSThread()
	for sig := syscall.Signal(1); sig < 32; sig++ {
		if sig == syscall.SIGKILL || sig == syscall.SIGSTOP {
			continue
		}
		var old sigaction
		_, _, errno := syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig), 0, uintptr(unsafe.Pointer(&old)), 8, 0, 0)
		if errno == 0 && old.handler == sigIgn {
			setDefault(sig)
		}
	}
	unblockAll()
}

// killSelf delivers sig, with its default action, to this very thread: the process ends before tgkill returns.
func killSelf(sig syscall.Signal) {
	runtime.LockOSThread()
	setDefault(sig)
	unblockAll()
	_ = syscall.Tgkill(os.Getpid(), syscall.Gettid(), sig)
}
