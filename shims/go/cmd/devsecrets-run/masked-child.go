// `run` with masking: the child's stdout and stderr pass through maskers on their way to ours (cli/run/masked-child.ts,
// pipes only: a terminal goes to Node). Rule: never writes a served value; the child's exit code and death by signal pass through.

package main

import (
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/devsecrets/devsecrets/shims/go/mask"
)

var forwarded = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// runMasked returns run's exit code, or dies of the child's signal; a child that cannot start is a failure.
func runMasked(argv, env []string, secrets []mask.Secret) (int, *failure) {
	path, err := lookPath(argv[0], env)
	if err != nil {
		return 0, spawnFailure(argv[0], err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		return 0, spawnFailure(argv[0], err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		return 0, spawnFailure(argv[0], err)
	}
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, forwarded...)
	child, err := os.StartProcess(path, argv, &os.ProcAttr{Env: env, Files: []*os.File{os.Stdin, outW, errW}})
	outW.Close()
	errW.Close()
	if err != nil {
		signal.Stop(signals)
		return 0, spawnFailure(argv[0], err)
	}
	go func() {
		for sig := range signals {
			_ = child.Signal(sig)
		}
	}()

	// built when the first output arrives (it waits in the pipe meanwhile): a child that prints nothing never pays for
	// it, and 100 values take a few milliseconds to compile
	compiled := sync.OnceValue(func() *mask.Compiled { return mask.Compile(secrets) })
	newMasker := func() *mask.Masker { return mask.New(compiled()) }
	var streams sync.WaitGroup
	streams.Add(2)
	go func() { defer streams.Done(); pump(outR, os.Stdout, newMasker) }()
	go func() { defer streams.Done(); pump(errR, os.Stderr, newMasker) }()
	state, err := child.Wait()
	// close, not exit: every byte the child wrote has been masked and written by then
	streams.Wait()
	signal.Stop(signals)
	if err != nil {
		return 1, nil
	}
	return passOn(state.Sys().(syscall.WaitStatus)), nil
}

// passOn gives the child's exit code, or dies of the signal that killed it, so the caller's shell sees what the child did.
func passOn(status syscall.WaitStatus) int {
	if !status.Signaled() {
		return status.ExitStatus()
	}
	sig := status.Signal()
	// Node ignores SIGPIPE, so its process.kill(self, "SIGPIPE") does nothing and it exits 128+13: so do we
	if sig != syscall.SIGPIPE {
		killSelf(sig)
	}
	return 128 + int(sig)
}
