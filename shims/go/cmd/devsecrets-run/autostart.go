// The launcher starts the daemon itself when nobody answers (DESIGN "Starting the daemon"), without a Node CLI start:
// this binary, re-executed as the middle of a double fork, starts `node <start flags> dist/daemon/main.js` in a session
// of its own, waits for "listening" on fd 3 (the protocol of daemon/start/daemonize.ts) and ends.
// Rule: the daemon is never a child of the launcher, which then becomes the app by exec (an app does not reap children
// it did not start); it gets the allow-listed environment of common/daemon-environment.ts and the flags of
// common/daemon-start-flags.ts (both checked against the TypeScript by daemon_start_test.go).

package main

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	devsecrets "github.com/devsecrets/devsecrets/shims/go"
)

// middleArg marks this binary's run as the middle process: devsecrets-run <middleArg> NODE ENTRY
const middleArg = "--devsecrets-daemonize"

// daemonStartFlags is common/daemon-start-flags.ts's DAEMON_START_FLAGS.
var daemonStartFlags = []string{"--disable-sigusr1", "--max-semi-space-size=2"}

// allowedDaemonVariable is common/daemon-environment.ts's allow-list; deniedDaemonVariables its exceptions.
var allowedDaemonVariable = regexp.MustCompile(`^(PATH|HOME|USER|LOGNAME|LANG|LC_[A-Z]+|TZ|TMPDIR|XDG_[A-Z_]+|DBUS_SESSION_BUS_ADDRESS|DEVSECRETS_[A-Z_]+|VAULT_ADDR|BAO_ADDR|VAULT_NAMESPACE|VAULT_CACERT)$`)
var deniedDaemonVariables = map[string]bool{"DEVSECRETS_PASSPHRASE_FD": true}

// daemonEnvironment keeps the variables a daemon may see (never the shell's secrets), first occurrence of each.
func daemonEnvironment(environ []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, pair := range environ {
		name, _, ok := strings.Cut(pair, "=")
		if !ok || seen[name] || !allowedDaemonVariable.MatchString(name) || deniedDaemonVariables[name] {
			continue
		}
		seen[name] = true
		out = append(out, pair)
	}
	return out
}

// daemonEntry is dist/daemon/main.js of the package whose bin/devsecrets.js nodeCLI finds.
func daemonEntry() (string, error) {
	script, err := nodeCLI()
	if err != nil {
		return "", err
	}
	entry := filepath.Join(filepath.Dir(script), "..", "dist", "daemon", "main.js")
	if _, err := os.Stat(entry); err != nil {
		return "", err
	}
	return entry, nil
}

// autostartOn: DEVSECRETS_NO_AUTOSTART is off or unset (a value outside the dialect goes to Node, which refuses it).
func autostartOn(environ []string) bool {
	for _, pair := range environ {
		if value, ok := strings.CutPrefix(pair, "DEVSECRETS_NO_AUTOSTART="); ok {
			on, valid := devsecrets.Boolean(value)
			return valid && !on
		}
	}
	return true
}

// startDaemon runs this binary as the middle process and waits (bounded) for it; nil once a daemon listens, or once
// ours yielded to one that holds the lock (the caller's next request finds out).
func startDaemon(environ []string) error {
	entry, err := daemonEntry()
	if err != nil {
		return err
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	middle := exec.Command(self, middleArg, node, entry)
	middle.Env = daemonEnvironment(environ)
	middle.Stdin = nil
	middle.Stdout = nil
	middle.Stderr = nil
	if err := middle.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- middle.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(startTimeout(environ)):
		_ = middle.Process.Kill()
		<-done
		return errors.New("the daemon did not start in time")
	}
}

// startTimeout is DEVSECRETS_START_TIMEOUT_MS when a positive whole number, else 10 s (daemon/client/autostart.ts).
func startTimeout(environ []string) time.Duration {
	for _, pair := range environ {
		if value, ok := strings.CutPrefix(pair, "DEVSECRETS_START_TIMEOUT_MS="); ok {
			ms := 0
			for _, c := range value {
				if c < '0' || c > '9' || ms > 1<<30 {
					ms = 0
					break
				}
				ms = ms*10 + int(c-'0')
			}
			if ms > 0 {
				return time.Duration(ms) * time.Millisecond
			}
		}
	}
	return 10 * time.Second
}

// runMiddle is the middle process: it starts the daemon with setsid and ends once the daemon says it listens (0), or
// with the daemon's own exit code and its stderr passed on when it stopped first (0 when it yielded to the lock's
// holder). The Node client runs it too (daemon/client/autostart.ts), so a start costs no Node process of its own.
func runMiddle(node, entry string) int {
	ready, readyWriter, err := os.Pipe()
	if err != nil {
		return 1
	}
	stderrReader, stderrWriter, err := os.Pipe()
	if err != nil {
		return 1
	}
	args := append([]string{}, daemonStartFlags...)
	args = append(args, entry, "--ready-fd=3")
	daemon := exec.Command(node, args...)
	daemon.Env = os.Environ() // already the allow-listed environment
	daemon.ExtraFiles = []*os.File{readyWriter}
	daemon.Stderr = stderrWriter
	daemon.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := daemon.Start(); err != nil {
		os.Stderr.WriteString("devsecrets: DS_DAEMON_START_FAILED could not start the daemon (" + err.Error() + ")\n")
		return 1
	}
	readyWriter.Close()
	stderrWriter.Close()
	said := make(chan []byte, 1)
	go func() {
		text, _ := io.ReadAll(io.LimitReader(stderrReader, 4096))
		said <- text
	}()
	line, _ := bufio.NewReader(io.LimitReader(ready, 64)).ReadString('\n')
	if strings.HasPrefix(line, "listening") {
		// not waited for: the daemon is re-parented to init when this process ends
		return 0
	}
	code := 0
	if err := daemon.Wait(); err != nil {
		code = 1
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() > 0 {
			code = exit.ExitCode()
		}
	}
	os.Stderr.Write(<-said)
	return code
}
