// The codes of daemon/protocol/error-codes.ts and their exit codes; a DS_ code not listed (a newer daemon's) exits 1.
// Rule: a copy checked against the TS table by TestErrorCodesMatchTheTable; hints come from the daemon's answer, never from here.

package main

import "regexp"

var errorCodes = map[string]int{
	"DS_USAGE": 2, "DS_BAD_REQUEST": 1, "DS_BODY_TOO_LARGE": 1, "DS_UNSUPPORTED_MEDIA_TYPE": 1, "DS_NOT_FOUND": 1,
	"DS_INTERNAL": 1, "DS_DAEMON_UNREACHABLE": 1, "DS_DAEMON_START_FAILED": 1, "DS_DAEMON_VERSION": 1,
	"DS_SOCKET_UNSAFE": 1, "DS_STORE_UNSAFE": 1, "DS_CANCELLED": 130, "DS_PROJECT_NOT_FOUND": 1, "DS_ENV_SYNTAX": 1,
	"DS_ENV_NAME": 1, "DS_REF_SYNTAX": 1, "DS_REF_NOT_FOUND": 1, "DS_REF_CYCLE": 1, "DS_VAR_NOT_FOUND": 1,
	"DS_SANDBOX_KIND": 1, "DS_SANDBOX_OPTION": 1, "DS_SANDBOX_FIELD": 1, "DS_PG_ADMIN_URL": 1, "DS_PG_UNREACHABLE": 1,
	"DS_SESSION_NONE": 1, "DS_SESSION_EXPIRED": 1, "DS_KEYCHAIN_LOCKED": 1, "DS_KEYCHAIN_UNAVAILABLE": 1,
	"DS_PASSPHRASE_WRONG": 1, "DS_VAULT_UNREACHABLE": 1, "DS_VAULT_FORBIDDEN": 1, "DS_VAULT_AUTH": 1, "DS_VAULT_ERROR": 1,
	"DS_CONFIG_INVALID": 1, "DS_AUDIT_UNAVAILABLE": 1, "DS_CHILD_SPAWN": 1,
}

// childSpawnHint is the table's hint for DS_CHILD_SPAWN, the one error the launcher makes itself.
const childSpawnHint = "check the command name and that it is on PATH"

var errorCodeShape = regexp.MustCompile(`^DS_[A-Z_]+$`)

// isErrorCode: a code the launcher may render, listed or not (DESIGN: clients pass a code they do not know through).
func isErrorCode(code string) bool {
	return errorCodeShape.MatchString(code)
}

func exitCodeOf(code string) int {
	if exit, ok := errorCodes[code]; ok {
		return exit
	}
	return 1
}
