// The one error of the Go shim: the daemon's code, message and hint.
// Rule: a message names files, lines and references, never a secret value.

package devsecrets

// UnreachableHint is what every shim says when no daemon answers.
const UnreachableHint = "start it with `devsecrets daemon start`, or run `devsecrets doctor`"

// Error is a failure with a stable Code (DS_...), a one-line Message and a Hint saying what to do next.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Hint    string `json:"hint"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }
