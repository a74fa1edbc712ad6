// `run` without masking: the launcher becomes the command (execve), so the child keeps our pid and gets signals directly.
// Rule: the child starts as libuv starts Node's: found in its own PATH, every signal default and unblocked.

package main

import "syscall"

// execChild returns only when the command could not be started.
func execChild(argv, env []string) *failure {
	path, err := lookPath(argv[0], env)
	if err == nil {
		prepareSignalsForExec()
		err = syscall.Exec(path, argv, env)
	}
	return spawnFailure(argv[0], err)
}
