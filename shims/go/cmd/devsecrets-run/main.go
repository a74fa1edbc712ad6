// devsecrets-run: the native `devsecrets run` for the common path (pipes or --no-mask), Node's behaviour without Node's start.
// Rule: only main exits; whatever the launcher does not do exactly as cli/run-fast.ts does goes to Node, before any output.

package main

import (
	"errors"
	"os"
	"os/signal"
	"strings"
	"syscall"

	devsecrets "github.com/devsecrets/devsecrets/shims/go"
	"github.com/devsecrets/devsecrets/shims/go/mask"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	// a closed stderr (`2>&-`, a reader gone) is a write error to ignore, not a death by SIGPIPE; Notify, not Ignore,
	// so that an exec'd or spawned child still starts with SIGPIPE at its default
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	// this binary re-executed as the middle of the daemon's double fork (autostart.go)
	if len(args) == 3 && args[0] == middleArg {
		return runMiddle(args[1], args[2])
	}
	// bin/devsecrets asks this before it trusts a launcher from a platform package: the same version as the package
	if len(args) == 1 && args[0] == "--version" {
		os.Stdout.WriteString(devsecrets.Version + "\n")
		return 0
	}
	asJSON := len(args) > 0 && wantsJSON(args[1:])
	fail := func(f *failure) int { return render(f, asJSON) }
	// DEVSECRETS_LOG=debug asks for the client's steps, which only the Node CLI writes
	if len(args) == 0 || args[0] != "run" || os.Getenv("DEVSECRETS_LOG") == "debug" {
		return fail(fallBack(args))
	}
	parsed, ok, usage := readRunArgs(args[1:], os.LookupEnv)
	if usage != nil {
		return fail(usage)
	}
	// an empty command is a usage error Node raises before it asks the daemon anything
	if !ok || parsed.argv[0] == "" {
		return fail(fallBack(args))
	}
	// on a terminal Node masks under a pseudo-terminal (node-pty): that stays Node's
	if parsed.mask && isTerminal(1) {
		return fail(fallBack(args))
	}
	environ := os.Environ()
	answer, failed, err := resolve(parsed, environ)
	// nobody answers: start the daemon here rather than hand the run to Node to start it (one Node start less)
	if errors.Is(err, errUnreachable) && autostartOn(environ) && startDaemon(environ) == nil {
		answer, failed, err = resolve(parsed, environ)
	}
	if err != nil {
		return fail(fallBack(args))
	}
	holdValuesPrivately()
	if failed != nil {
		return fail(failed)
	}
	for _, notice := range answer.Notices {
		say(notice.Message)
	}
	if len(answer.Kept) > 0 {
		say("kept from your environment: " + strings.Join(answer.Kept, ", ") + " (--override to use the project's)")
	}
	env := childEnviron(environ, answer)
	if len(answer.Sensitive) > 0 {
		if parsed.mask {
			secrets := make([]mask.Secret, len(answer.Sensitive))
			for i, name := range answer.Sensitive {
				secrets[i] = mask.Secret{Name: name, Value: answer.Variables[name]}
			}
			code, failed := runMasked(parsed.argv, env, secrets)
			if failed != nil {
				return fail(failed)
			}
			return code
		}
		say("masking is off (--no-mask): secrets may appear in this output")
	}
	return fail(execChild(parsed.argv, env))
}
