// Hands the whole command line to the Node CLI (bin/devsecrets.js beside our dist/native/), as if we had never run.
// Rule: called before anything is printed or started; it replaces this process, so Node sees our pid, stdio and env.

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// nodeCLI is the bin/devsecrets.js of the package this launcher serves (symlinks resolved): <repo>/dist/native/ in a
// checkout; in an install, the platform package node_modules/@devsecrets/run-<os>-<cpu>/bin/ sits inside the devsecrets
// package (nested, as a global install puts it) or beside it (hoisted).
func nodeCLI() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	if self, err = filepath.EvalSymlinks(self); err != nil {
		return "", err
	}
	dir := filepath.Dir(self)
	candidates := []string{
		filepath.Join(dir, "..", "..", "bin", "devsecrets.js"),
		filepath.Join(dir, "..", "..", "..", "devsecrets", "bin", "devsecrets.js"),
		filepath.Join(dir, "..", "..", "..", "..", "bin", "devsecrets.js"),
	}
	for _, candidate := range candidates {
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
	}
	return "", syscall.ENOENT
}

// fallBack returns only when Node cannot be started; the caller renders that and exits 1.
func fallBack(args []string) *failure {
	script, err := nodeCLI()
	if err == nil {
		var node string
		if node, err = exec.LookPath("node"); err == nil {
			err = syscall.Exec(node, append([]string{node, script}, args...), os.Environ())
		}
	}
	return &failure{
		code:    "DS_INTERNAL",
		message: "the Node CLI (bin/devsecrets.js) could not be started (" + errnoName(err) + ")",
		hint:    "install Node.js 20 or later on PATH, or rebuild with `npm run build`",
	}
}
