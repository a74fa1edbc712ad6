// The exit codes of daemon/protocol/error-codes.ts that are not 1; every other DS_ code, a newer daemon's too, exits 1.
// Rule: checked against the TS table by TestErrorCodesMatchTheTable; hints come from the daemon's answer, never from here.

package main

import "regexp"

// exitCodes lists only the exceptions, so a new code in the TS table needs no change here unless it exits otherwise
var exitCodes = map[string]int{"DS_USAGE": 2, "DS_CANCELLED": 130}

// childSpawnHint is the table's hint for DS_CHILD_SPAWN, the one error the launcher makes itself.
const childSpawnHint = "check the command name and that it is on PATH"

var errorCodeShape = regexp.MustCompile(`^DS_[A-Z_]+$`)

// isErrorCode: a code the launcher may render, listed or not (DESIGN: clients pass a code they do not know through).
func isErrorCode(code string) bool {
	return errorCodeShape.MatchString(code)
}

func exitCodeOf(code string) int {
	if exit, ok := exitCodes[code]; ok {
		return exit
	}
	return 1
}
