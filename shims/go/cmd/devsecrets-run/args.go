// run's flags, read exactly as readRunArgs in cli/run-child.ts reads them (itself checked against commander).
// Rule: anything readRunArgs would hand to the full CLI (--help, an unknown flag, a missing value or command) is not ok here.

package main

import "strings"

type runArgs struct {
	env      string
	override bool
	mask     bool
	argv     []string // the command and its arguments
}

// readRunArgs reads what follows `run`: options until the first operand or `--`, the rest passed through; a flag wins
// over its DEVSECRETS_* variable, and a boolean variable counts when it is set at all, even empty.
func readRunArgs(args []string, lookup func(string) (string, bool)) (runArgs, bool) {
	var envName *string
	var override, noMask bool
	i := 0
	for ; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			i++
			break
		}
		if !(len(arg) > 1 && arg[0] == '-') {
			break
		}
		switch {
		case arg == "--override":
			override = true
		case arg == "--no-mask":
			noMask = true
		case arg == "--env":
			if i+1 >= len(args) {
				return runArgs{}, false
			}
			i++
			envName = &args[i]
		case strings.HasPrefix(arg, "--env="):
			value := arg[len("--env="):]
			envName = &value
		default:
			return runArgs{}, false
		}
	}
	if i >= len(args) {
		return runArgs{}, false
	}
	parsed := runArgs{env: "dev", argv: args[i:]}
	if envName != nil {
		parsed.env = *envName
	} else if value, set := lookup("DEVSECRETS_ENV"); set {
		parsed.env = value
	}
	_, noMaskSet := lookup("DEVSECRETS_NO_MASK")
	parsed.mask = !noMask && !noMaskSet
	_, overrideSet := lookup("DEVSECRETS_OVERRIDE")
	parsed.override = override || overrideSet
	return parsed, true
}
