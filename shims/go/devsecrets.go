// Package devsecrets puts the project's variables from the local devsecrets daemon into the process environment.
// Rule: stdlib only; the caller's environment wins unless override; stderr names variables, never values.
//
//	if err := devsecrets.Load(ctx); err != nil { log.Fatal(err) }
package devsecrets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Options of a resolve. The zero value means: the working directory, the process environment,
// and DEVSECRETS_ENV / DEVSECRETS_OVERRIDE from it.
type Options struct {
	Cwd      string            // where the app runs; default os.Getwd()
	Env      string            // overlay devsecrets.<env>.env; default $DEVSECRETS_ENV, else "dev"
	Override *bool             // project values replace the caller's; default $DEVSECRETS_OVERRIDE (1|true|yes|on)
	Environ  map[string]string // the caller's environment; default os.Environ()
	Names    []string          // answer only these variables
	Socket   string            // default SocketPath(os.Getenv)
}

// Answer is the daemon's answer to a resolve.
type Answer struct {
	Variables map[string]string `json:"variables"`
	Kept      []string          `json:"kept"`
	Sensitive []string          `json:"sensitive"` // names whose values came from references: what `run` masks
	Notices   []struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"notices"`
}

const loadedMarker = "DEVSECRETS_LOADED"

// Stderr is where Load says notices, kept names and, with DEVSECRETS_OPTIONAL=1, errors.
var Stderr io.Writer = os.Stderr

// Resolve asks the daemon for the project's variables and changes nothing. Errors are *Error.
func Resolve(ctx context.Context, opts Options) (map[string]string, error) {
	answer, err := ResolveAnswer(ctx, opts)
	if err != nil {
		return nil, err
	}
	return answer.Variables, nil
}

// ResolveAnswer is Resolve with the kept names and notices.
func ResolveAnswer(ctx context.Context, opts Options) (*Answer, error) {
	environ := opts.Environ
	if environ == nil {
		environ = map[string]string{}
		for _, pair := range os.Environ() {
			if name, value, ok := strings.Cut(pair, "="); ok {
				environ[name] = value
			}
		}
	}
	cwd := opts.Cwd
	if cwd == "" {
		var err error
		if cwd, err = os.Getwd(); err != nil {
			return nil, &Error{Code: "DS_INTERNAL", Message: "the working directory cannot be read", Hint: "cd into the project"}
		}
	}
	env := opts.Env
	if env == "" {
		env = envName(environ)
	}
	var override bool
	if opts.Override != nil {
		override = *opts.Override
	} else {
		override = flag("DEVSECRETS_OVERRIDE", environ["DEVSECRETS_OVERRIDE"])
	}
	socket := opts.Socket
	if socket == "" {
		socket = SocketPath(func(name string) string { return environ[name] })
	}
	body := map[string]any{"cwd": cwd, "env": env, "environ": environ, "override": override}
	if opts.Names != nil {
		body["names"] = opts.Names
	}
	raw, err := post(ctx, socket, "/v1/resolve", body)
	if err != nil {
		return nil, err
	}
	var answer Answer
	if err := json.Unmarshal(raw, &answer); err != nil {
		return nil, &Error{Code: "DS_INTERNAL", Message: "the daemon's answer is not the JSON of /v1/resolve", Hint: "see docs/protocol.md"}
	}
	return &answer, nil
}

// Load fills the process environment with the project's variables (os.Setenv) and says notices and
// kept names on Stderr. With DEVSECRETS_OPTIONAL=1 (or true|yes|on) a failure is said on Stderr and Load returns nil:
// an unsafe socket too, to which nothing was sent.
func Load(ctx context.Context) error {
	answer, err := ResolveAnswer(ctx, Options{})
	if err != nil {
		var failure *Error
		if errors.As(err, &failure) && flag("DEVSECRETS_OPTIONAL", os.Getenv("DEVSECRETS_OPTIONAL")) {
			say("error %s: %s", failure.Code, failure.Message)
			say("hint: %s", failure.Hint)
			say("continuing without the project's variables (DEVSECRETS_OPTIONAL=1)")
			return nil
		}
		return err
	}
	for _, notice := range answer.Notices {
		say("%s", notice.Message)
	}
	inherited := map[string]bool{}
	for _, name := range strings.Split(os.Getenv(loadedMarker), ",") {
		if name != "" {
			inherited[name] = true
		}
	}
	var kept []string
	for _, name := range answer.Kept {
		if !inherited[name] {
			kept = append(kept, name)
		}
	}
	if len(kept) > 0 {
		say("kept from your environment: %s (DEVSECRETS_OVERRIDE=1 to use the project's)", strings.Join(kept, ", "))
	}
	loaded := inherited
	for name, value := range answer.Variables {
		if err := os.Setenv(name, value); err != nil {
			return &Error{Code: "DS_INTERNAL", Message: fmt.Sprintf("%s cannot be set in the environment", name), Hint: "report the issue"}
		}
		loaded[name] = true
	}
	for _, name := range answer.Kept {
		loaded[name] = true
	}
	names := make([]string, 0, len(loaded))
	for name := range loaded {
		names = append(names, name)
	}
	sort.Strings(names)
	return os.Setenv(loadedMarker, strings.Join(names, ","))
}

func say(format string, args ...any) {
	fmt.Fprintf(Stderr, "devsecrets: "+format+"\n", args...)
}
