// Finds the command in the child's PATH as Node's spawn (libuv) does, and names an exec failure as Node's error.code.
// Rule: the child's PATH, not ours: a project may set PATH.

package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// defaultPath is what libuv searches when the environment has no PATH (glibc's _PATH_DEFPATH).
const defaultPath = "/usr/bin:/bin"

// candidates are the paths to try in order: the command itself when it names a file, else each PATH entry's (an empty
// entry is the working directory).
func candidates(command string, env []string) []string {
	if strings.Contains(command, "/") {
		return []string{command}
	}
	path := defaultPath
	for _, pair := range env {
		if strings.HasPrefix(pair, "PATH=") {
			path = pair[len("PATH="):]
			break
		}
	}
	var out []string
	for _, dir := range strings.Split(path, ":") {
		if dir == "" {
			dir = "."
		}
		out = append(out, filepath.Join(dir, command))
	}
	return out
}

// lookPath is the first candidate that is an executable file, or the errno libuv's execvpe would end with: EACCES when
// a candidate exists but cannot be run, ENOENT when none exists, any other error at once.
func lookPath(command string, env []string) (string, error) {
	last := error(syscall.ENOENT)
	for _, path := range candidates(command, env) {
		info, err := os.Stat(path)
		switch {
		case err == nil && !info.IsDir() && syscall.Access(path, 1 /* X_OK */) == nil:
			return path, nil
		case err == nil, errors.Is(err, syscall.EACCES):
			last = syscall.EACCES
		case errors.Is(err, syscall.ENOENT), errors.Is(err, syscall.ENOTDIR):
		default:
			return "", err
		}
	}
	return "", last
}

// errnoName is the code Node puts on a spawn error (ENOENT, EACCES, ...).
func errnoName(err error) string {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return "error"
	}
	names := map[syscall.Errno]string{
		syscall.ENOENT: "ENOENT", syscall.EACCES: "EACCES", syscall.ENOEXEC: "ENOEXEC", syscall.ENOTDIR: "ENOTDIR",
		syscall.E2BIG: "E2BIG", syscall.ELOOP: "ELOOP", syscall.ENAMETOOLONG: "ENAMETOOLONG", syscall.ENOMEM: "ENOMEM",
		syscall.ETXTBSY: "ETXTBSY", syscall.EPERM: "EPERM", syscall.EISDIR: "EISDIR", syscall.EAGAIN: "EAGAIN",
		syscall.EMFILE: "EMFILE", syscall.EINVAL: "EINVAL", syscall.EIO: "EIO",
	}
	if name, ok := names[errno]; ok {
		return name
	}
	return "error"
}

func spawnFailure(command string, err error) *failure {
	return &failure{code: "DS_CHILD_SPAWN", message: "could not start " + command + " (" + errnoName(err) + ")", hint: childSpawnHint}
}
