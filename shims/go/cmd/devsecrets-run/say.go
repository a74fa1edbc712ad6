// How the launcher speaks, as cli/output.ts does: `devsecrets:` lines on stderr, errors as two lines or as --json on stdout.
// Rule: the only writer of our own lines; names variables and codes, never a value.

package main

import (
	"io"
	"os"

	"github.com/devsecrets/devsecrets/shims/go/mask"
)

// where our own lines go; tests swap them
var stdout, stderr io.Writer = os.Stdout, os.Stderr

func say(message string) {
	io.WriteString(stderr, "devsecrets: "+message+"\n")
}

// failure is an error the launcher renders itself: a daemon error answer, or a child that could not start.
type failure struct {
	code, message, hint string
}

// render prints f as renderError does and returns its exit code.
func render(f *failure, asJSON bool) int {
	if asJSON {
		// JSON.stringify(toBody(), null, 2): the key order of toBody, JavaScript's escaping
		io.WriteString(stdout, "{\n  \"error\": {\n    \"code\": "+mask.JSONStringify(f.code)+
			",\n    \"message\": "+mask.JSONStringify(f.message)+
			",\n    \"hint\": "+mask.JSONStringify(f.hint)+"\n  }\n}\n")
	} else {
		say("error " + f.code + ": " + f.message)
		say("hint: " + f.hint)
	}
	return exitCodeOf(f.code)
}

// wantsJSON is cli/run-fast.ts's rule: --json anywhere after `run`, the command's own arguments included.
func wantsJSON(args []string) bool {
	for _, arg := range args {
		if arg == "--json" {
			return true
		}
	}
	return false
}
