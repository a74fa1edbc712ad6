// run's flags, read exactly as readRunArgs in cli/run-child.ts reads them (itself checked against commander), and its
// DEVSECRETS_* variables in the one dialect (DESIGN "DEVSECRETS_* dialect").
// Rule: anything readRunArgs would hand to the full CLI (--help, an unknown flag, a missing value or command) is not ok here;
// a variable outside the dialect is DS_USAGE, as the CLI answers it.

package main

import (
	"strings"

	devsecrets "github.com/devsecrets/devsecrets/shims/go"
)

type runArgs struct {
	env      string
	override bool
	mask     bool
	argv     []string // the command and its arguments
}

// readRunArgs reads what follows `run`: options until the first operand or `--`, the rest passed through. A flag wins
// over its DEVSECRETS_* variable, which is then not read; an empty variable counts as unset. A usage failure comes back
// only for arguments that are otherwise ok.
func readRunArgs(args []string, lookup func(string) (string, bool)) (runArgs, bool, *failure) {
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
				return runArgs{}, false, nil
			}
			i++
			envName = &args[i]
		case strings.HasPrefix(arg, "--env="):
			value := arg[len("--env="):]
			envName = &value
		default:
			return runArgs{}, false, nil
		}
	}
	if i >= len(args) {
		return runArgs{}, false, nil
	}
	parsed := runArgs{env: devsecrets.DefaultEnv, argv: args[i:], override: override, mask: !noMask}
	if envName != nil {
		parsed.env = *envName
	} else if value, _ := lookup("DEVSECRETS_ENV"); value != "" {
		parsed.env = value
	}
	if !noMask {
		on, usage := readBoolean("DEVSECRETS_NO_MASK", lookup)
		if usage != nil {
			return runArgs{}, true, usage
		}
		parsed.mask = !on
	}
	if !override {
		on, usage := readBoolean("DEVSECRETS_OVERRIDE", lookup)
		if usage != nil {
			return runArgs{}, true, usage
		}
		parsed.override = on
	}
	return parsed, true, nil
}

// readBoolean reads the boolean variable name; a value outside the dialect is DS_USAGE, exit 2.
func readBoolean(name string, lookup func(string) (string, bool)) (bool, *failure) {
	value, _ := lookup(name)
	on, valid := devsecrets.Boolean(value)
	if !valid {
		return false, &failure{code: "DS_USAGE", message: devsecrets.NotBoolean(name, value), hint: "set " + name + "=1 or " + name + "=0, or unset it"}
	}
	return on, nil
}
