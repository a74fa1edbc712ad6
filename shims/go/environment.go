// The DEVSECRETS_* dialect every client reads: 1|true|yes|on, 0|false|no|off, and an empty value counts as unset.
// Rule: a value outside the dialect is never guessed at: the shim says so on Stderr and ignores it, `run` refuses it.

package devsecrets

// DefaultEnv is the overlay when DEVSECRETS_ENV is unset or empty.
const DefaultEnv = "dev"

// Boolean reads the value of a DEVSECRETS_* boolean: on for 1|true|yes|on; off for 0|false|no|off and for the empty
// value (unset); valid is false for anything else.
func Boolean(value string) (on, valid bool) {
	switch value {
	case "1", "true", "yes", "on":
		return true, true
	case "", "0", "false", "no", "off":
		return false, true
	}
	return false, false
}

// NotBoolean is what every client says about a DEVSECRETS_* boolean outside the dialect.
func NotBoolean(name, value string) string {
	return name + "=" + value + " is not a boolean (1|true|yes|on or 0|false|no|off)"
}

// flag reads value, the value of the boolean variable name; one outside the dialect is said on Stderr and counts as unset.
func flag(name, value string) bool {
	on, valid := Boolean(value)
	if !valid {
		say("%s; ignored", NotBoolean(name, value))
	}
	return on
}

// envName is DEVSECRETS_ENV, DefaultEnv when it is unset or empty.
func envName(environ map[string]string) string {
	if env := environ["DEVSECRETS_ENV"]; env != "" {
		return env
	}
	return DefaultEnv
}
