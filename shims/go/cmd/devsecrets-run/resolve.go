// The one resolve request of `run`, as the Node client sends it, and what its answer means for the launcher.
// Rule: only a well-formed answer from a daemon of our own version is used; anything else goes to Node, nothing printed,
// except an unsafe socket: that is refused here, before anything is sent, and never handed on.

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"syscall"
	"time"

	devsecrets "github.com/devsecrets/devsecrets/shims/go"
)

// errFallBack: Node must do this run (it autostarts or restarts the daemon, or renders what we do not know).
var errFallBack = errors.New("the Node CLI must handle this run")

// errUnreachable: nobody listens on the socket (the launcher may start the daemon, else Node does).
var errUnreachable = errors.New("no daemon answers")

type answer struct {
	devsecrets.Answer
	order []string // the variables' names in the daemon's order: the child's environment keeps it, as Node's spread does
}

// resolve asks the daemon for the project's variables. A daemon error answer comes back as a *failure to render.
func resolve(r runArgs, environ []string) (*answer, *failure, error) {
	cwd, err := syscall.Getwd() // the kernel's, as process.cwd(); os.Getwd would prefer $PWD
	if err != nil {
		return nil, nil, errFallBack
	}
	vars := map[string]string{}
	for _, pair := range environ {
		if name, value, ok := strings.Cut(pair, "="); ok {
			if _, seen := vars[name]; !seen {
				vars[name] = value
			}
		}
	}
	body := struct {
		Cwd      string            `json:"cwd"`
		Env      string            `json:"env"`
		Environ  map[string]string `json:"environ"`
		Override bool              `json:"override"`
	}{cwd, r.env, vars, r.override}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	reply, err := devsecrets.Exchange(ctx, socketPath(vars), "/v1/resolve", body)
	var refused *devsecrets.Error
	if errors.As(err, &refused) && refused.Code == "DS_SOCKET_UNSAFE" {
		return nil, &failure{code: refused.Code, message: refused.Message, hint: refused.Hint}, nil
	}
	if errors.As(err, &refused) && refused.Code == "DS_DAEMON_UNREACHABLE" {
		return nil, nil, errUnreachable
	}
	// an older daemon is restarted by Node (client.ts), after this request: once per upgrade, one resolve too many;
	// a newer daemon answers API v1 as Node's client takes it, and so do we
	if err != nil || compareVersions(devsecrets.Version, reply.Version) > 0 || holdsLoneSurrogate(reply.Body) {
		return nil, nil, errFallBack
	}
	if reply.Status < 200 || reply.Status > 299 {
		var errorAnswer struct {
			Error *struct {
				Code    string  `json:"code"`
				Message *string `json:"message"`
				Hint    *string `json:"hint"`
			} `json:"error"`
		}
		if json.Unmarshal(reply.Body, &errorAnswer) != nil || errorAnswer.Error == nil {
			return nil, nil, errFallBack
		}
		e := errorAnswer.Error
		// a code of a newer daemon is passed through with its message and hint, exit 1
		if !isErrorCode(e.Code) || e.Message == nil || e.Hint == nil {
			return nil, nil, errFallBack
		}
		return nil, &failure{code: e.Code, message: *e.Message, hint: *e.Hint}, nil
	}
	var a answer
	if json.Unmarshal(reply.Body, &a.Answer) != nil {
		return nil, nil, errFallBack
	}
	a.order = variableOrder(reply.Body)
	return &a, nil, nil
}

// compareVersions is daemon/protocol/version.ts's: dotted numbers (anything else counts as 0), <0, 0 or >0.
func compareVersions(a, b string) int {
	split := func(v string) []int {
		// as String.split(/[.+-]/): empty parts kept
		var numbers []int
		start := 0
		for i := 0; i <= len(v); i++ {
			if i == len(v) || v[i] == '.' || v[i] == '+' || v[i] == '-' {
				numbers = append(numbers, leadingInt(v[start:i]))
				start = i + 1
			}
		}
		return numbers
	}
	pa, pb := split(a), split(b)
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y int
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		if x != y {
			return x - y
		}
	}
	return 0
}

// leadingInt is Number.parseInt(s, 10) || 0 for what a version holds: the leading decimal digits, else 0.
func leadingInt(s string) int {
	n := 0
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9' && n < 1<<30; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// socketPath is common/paths.ts's socketPath, read from the environment run passes on.
func socketPath(vars map[string]string) string {
	return devsecrets.SocketPath(func(name string) string { return vars[name] })
}

// holdsLoneSurrogate: JSON.stringify writes an unpaired UTF-16 surrogate as \udXXX; Go would read it as U+FFFD and
// Node's encodeURIComponent throws on it. Such a value (or a literal "\ud8" in one) is left to Node.
func holdsLoneSurrogate(body []byte) bool {
	for i := 0; i+4 < len(body); i++ {
		if body[i] == '\\' && body[i+1] == 'u' && (body[i+2] == 'd' || body[i+2] == 'D') && strings.IndexByte("89abcdefABCDEF", body[i+3]) >= 0 {
			return true
		}
	}
	return false
}

// variableOrder reads the names of the answer's "variables" object in the order the daemon wrote them.
func variableOrder(body []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var skip json.RawMessage
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil
		}
		if key != "variables" {
			if dec.Decode(&skip) != nil {
				return nil
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('{') {
			return nil
		}
		var names []string
		for dec.More() {
			name, err := dec.Token()
			if err != nil || dec.Decode(&skip) != nil {
				return nil
			}
			names = append(names, name.(string))
		}
		return names
	}
	return nil
}

// childEnviron is `{ ...environ, ...answer.variables }`: a name already set keeps its place, new ones follow in order.
func childEnviron(environ []string, a *answer) []string {
	out := make([]string, 0, len(environ)+len(a.Variables))
	seen := map[string]bool{}
	for _, pair := range environ {
		name, _, _ := strings.Cut(pair, "=")
		if seen[name] {
			continue
		}
		seen[name] = true
		if value, ok := a.Variables[name]; ok {
			pair = name + "=" + value
		}
		out = append(out, pair)
	}
	for _, name := range a.order {
		if !seen[name] {
			seen[name] = true
			out = append(out, name+"="+a.Variables[name])
		}
	}
	// only if the order could not be read: the rest, in any order
	for name, value := range a.Variables {
		if !seen[name] {
			out = append(out, name+"="+value)
		}
	}
	return out
}
