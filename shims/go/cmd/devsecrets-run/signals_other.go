//go:build !linux

// Signal dispositions where there is no raw rt_sigaction: os/signal's reset, which dies of SIGHUP, SIGINT and SIGTERM.
// Rule: the same contract as signals_linux.go, as far as the runtime allows; a signal it cannot die of ends as 128+n.

package main

import (
	"os"
	"os/signal"
	"syscall"
)

func prepareSignalsForExec() {}

func killSelf(sig syscall.Signal) {
	signal.Reset(sig)
	_ = syscall.Kill(os.Getpid(), sig)
}
