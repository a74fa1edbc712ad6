// Keeps the served values out of core files and away from same-uid debuggers while the launcher holds them.
// Rule: after the resolve (the daemon reads /proc/<pid>/exe of its caller for the audit, which non-dumpable would hide),
// before anything else; exec gives the child its own default.

package main

import "syscall"

const prSetDumpable = 4

// holdValuesPrivately: prctl(PR_SET_DUMPABLE, 0). A crash or a SIGQUIT passed on no longer writes a core, and a process
// of the same uid can no longer ptrace or read /proc/<pid>/mem. Best effort: a failure leaves the launcher as it was.
func holdValuesPrivately() {
	_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, prSetDumpable, 0, 0)
}
