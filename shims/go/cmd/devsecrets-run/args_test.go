// readRunArgs against cli/run-child.ts's own, on every case test/unit/cli/read-run-args.test.ts tries and a few more;
// and the DEVSECRETS_* dialect of run's variables, pinned on its own.
// Rule: differential: the TS function (itself checked against commander) is the reference for the flags.

package main

import (
	"reflect"
	"strings"
	"testing"
)

var argCases = [][]string{
	{"--", "node", "app.js"},
	{"node", "app.js", "--flag", "--", "x"},
	{"--env", "staging", "--", "sh", "-c", "echo"},
	{"--env=prod", "--override", "--no-mask", "--", "x", "--json"},
	{"--override", "cmd", "--override"},
	{"--env", "--override", "--", "x"},
	{"--env", "a", "--env", "b", "x"},
	{"-", "x"},
	{"--", "--", "x"},
	{"--no-mask", "x", "--no-mask"},
	{"--help"},
	{"-h", "--", "x"},
	{"--unknown", "--", "x"},
	{"--override=1", "x"},
	{"--mask", "x"},
	{"--"},
	{},
	{"--env"},
	{"--env="},
	{"--env=", "x"},
	{"--", ""},
	{"", "x"},
	{"-é", "x"},
	{"--json", "--", "x"},
	{"--env", "a", "--", "--env", "b"},
}

// the variables' values on which the TS reference on main agrees with the dialect; the others are
// TestRunVariablesSpeakTheDialect's until cli/run-child.ts reads them in the dialect too (branch h2-client): then add
// {"DEVSECRETS_OVERRIDE": "0"}, {"DEVSECRETS_NO_MASK": ""}, {"DEVSECRETS_ENV": ""}, {"DEVSECRETS_OVERRIDE": "maybe"} here
var envCases = []map[string]string{
	{},
	{"DEVSECRETS_ENV": "staging"},
	{"DEVSECRETS_ENV": "x", "DEVSECRETS_OVERRIDE": "1", "DEVSECRETS_NO_MASK": "1"},
	// the DEVSECRETS_* dialect: 0 is off, empty is unset, anything else is DS_USAGE
	{"DEVSECRETS_OVERRIDE": "0"},
	{"DEVSECRETS_NO_MASK": ""},
	{"DEVSECRETS_ENV": ""},
	{"DEVSECRETS_OVERRIDE": "maybe"},
	{"DEVSECRETS_OVERRIDE": "yes", "DEVSECRETS_NO_MASK": "off"},
}

type parsedRun struct {
	Usage *struct {
		Message string `json:"message"`
		Hint    string `json:"hint"`
	} `json:"usage"` // readRunArgs threw DS_USAGE
	Options struct {
		Env      string `json:"env"`
		Mask     bool   `json:"mask"`
		Override bool   `json:"override"`
	} `json:"options"`
	Argv []string `json:"argv"`
}

func TestReadRunArgsMatchesTheNodeCLI(t *testing.T) {
	type pair struct {
		Args []string          `json:"args"`
		Env  map[string]string `json:"env"`
	}
	var pairs []pair
	for _, args := range argCases {
		for _, env := range envCases {
			pairs = append(pairs, pair{append([]string{}, args...), env})
		}
	}
	var want []*parsedRun
	nodeEval(t, `import { readRunArgs } from "./dist/cli/run-child.js";`+readStdin+
		`const read = (p) => { try { return readRunArgs(p.args, p.env); } catch (e) { return { usage: { message: e.message, hint: e.hint } }; } };`+
		`process.stdout.write(JSON.stringify(input.map(read)));`, pairs, &want)
	if len(want) != len(pairs) {
		t.Fatalf("node answered %d cases of %d", len(want), len(pairs))
	}
	for i, p := range pairs {
		got, ok, usage := readRunArgs(p.Args, func(name string) (string, bool) { v, set := p.Env[name]; return v, set })
		if want[i] != nil && want[i].Usage != nil {
			if usage == nil || usage.code != "DS_USAGE" || usage.message != want[i].Usage.Message || usage.hint != want[i].Usage.Hint {
				t.Errorf("run %q with %v: the Node CLI says DS_USAGE %+v, we %+v", p.Args, p.Env, *want[i].Usage, usage)
			}
			continue
		}
		if usage != nil {
			t.Errorf("run %q with %v: the Node CLI accepts it, we say %s", p.Args, p.Env, usage.message)
			continue
		}
		if want[i] == nil {
			if ok {
				t.Errorf("run %q with %v: the Node CLI falls back, we accepted %+v", p.Args, p.Env, got)
			}
			continue
		}
		if !ok {
			t.Errorf("run %q with %v: the Node CLI accepts it, we fall back", p.Args, p.Env)
			continue
		}
		w := want[i]
		if got.env != w.Options.Env || got.mask != w.Options.Mask || got.override != w.Options.Override || !reflect.DeepEqual(got.argv, w.Argv) {
			t.Errorf("run %q with %v: got env %q mask %v override %v argv %q; node: %+v", p.Args, p.Env, got.env, got.mask, got.override, got.argv, *w)
		}
	}
}

func TestReadRunArgsEverydayForms(t *testing.T) {
	none := func(string) (string, bool) { return "", false }
	got, ok, _ := readRunArgs([]string{"--env", "staging", "--override", "--", "npm", "start"}, none)
	if !ok || got.env != "staging" || !got.override || !got.mask || !reflect.DeepEqual(got.argv, []string{"npm", "start"}) {
		t.Errorf("got %+v %v", got, ok)
	}
	got, ok, _ = readRunArgs([]string{"npm", "test", "--no-mask"}, none)
	if !ok || got.env != "dev" || got.override || !got.mask || !reflect.DeepEqual(got.argv, []string{"npm", "test", "--no-mask"}) {
		t.Errorf("flags after the command are the command's: got %+v %v", got, ok)
	}
	if _, ok, _ := readRunArgs([]string{"--help"}, none); ok {
		t.Error("--help must go to Node")
	}
}

// DESIGN "DEVSECRETS_* dialect": 1|true|yes|on, 0|false|no|off, empty = unset; anything else is DS_USAGE in the CLI.
// Before it, DEVSECRETS_OVERRIDE=0 turned override on and DEVSECRETS_ENV= asked for an overlay named "".
func TestRunVariablesSpeakTheDialect(t *testing.T) {
	type want struct {
		env            string
		override, mask bool
	}
	cases := []struct {
		env  map[string]string
		want want
	}{
		{map[string]string{"DEVSECRETS_OVERRIDE": "0"}, want{"dev", false, true}},
		{map[string]string{"DEVSECRETS_OVERRIDE": "false"}, want{"dev", false, true}},
		{map[string]string{"DEVSECRETS_OVERRIDE": "no"}, want{"dev", false, true}},
		{map[string]string{"DEVSECRETS_OVERRIDE": "off"}, want{"dev", false, true}},
		{map[string]string{"DEVSECRETS_OVERRIDE": ""}, want{"dev", false, true}},
		{map[string]string{"DEVSECRETS_OVERRIDE": "1"}, want{"dev", true, true}},
		{map[string]string{"DEVSECRETS_OVERRIDE": "true"}, want{"dev", true, true}},
		{map[string]string{"DEVSECRETS_OVERRIDE": "yes"}, want{"dev", true, true}},
		{map[string]string{"DEVSECRETS_OVERRIDE": "on"}, want{"dev", true, true}},
		{map[string]string{"DEVSECRETS_NO_MASK": "0"}, want{"dev", false, true}},
		{map[string]string{"DEVSECRETS_NO_MASK": ""}, want{"dev", false, true}},
		{map[string]string{"DEVSECRETS_NO_MASK": "yes"}, want{"dev", false, false}},
		{map[string]string{"DEVSECRETS_ENV": ""}, want{"dev", false, true}},
		{map[string]string{"DEVSECRETS_ENV": "staging"}, want{"staging", false, true}},
	}
	for _, c := range cases {
		got, ok, usage := readRunArgs([]string{"--", "app"}, func(name string) (string, bool) { v, set := c.env[name]; return v, set })
		if !ok || usage != nil || got.env != c.want.env || got.override != c.want.override || got.mask != c.want.mask {
			t.Errorf("%v: got env %q override %v mask %v (ok %v, usage %v); want %+v", c.env, got.env, got.override, got.mask, ok, usage, c.want)
		}
	}

	for _, name := range []string{"DEVSECRETS_OVERRIDE", "DEVSECRETS_NO_MASK"} {
		for _, value := range []string{"maybe", "2", "TRUE", " 1"} {
			_, ok, usage := readRunArgs([]string{"--", "app"}, func(n string) (string, bool) {
				if n == name {
					return value, true
				}
				return "", false
			})
			wantMessage := name + "=" + value + " is not a boolean (1|true|yes|on or 0|false|no|off)"
			if !ok || usage == nil || usage.code != "DS_USAGE" || usage.message != wantMessage || !strings.Contains(usage.hint, name+"=1") {
				t.Errorf("%s=%q: want DS_USAGE %q, got ok %v %+v", name, value, wantMessage, ok, usage)
			}
		}
	}
	// a flag wins over its variable, which is then not read at all
	bad := func(string) (string, bool) { return "maybe", true }
	got, ok, usage := readRunArgs([]string{"--override", "--no-mask", "--env", "qa", "--", "app"}, bad)
	if !ok || usage != nil || !got.override || got.mask || got.env != "qa" {
		t.Errorf("flags with bad variables: got %+v ok %v usage %+v", got, ok, usage)
	}
	// arguments Node must explain (--help) go to Node before any variable is read
	if _, ok, usage := readRunArgs([]string{"--help"}, bad); ok || usage != nil {
		t.Errorf("--help with a bad variable: ok %v usage %+v", ok, usage)
	}
}

// The usage failure renders as the CLI renders DS_USAGE: two lines, exit 2 (TestRenderMatchesRenderError checks the bytes).
func TestABadVariableIsAUsageErrorOfExit2(t *testing.T) {
	_, _, usage := readRunArgs([]string{"--", "true"}, func(name string) (string, bool) {
		return map[string]string{"DEVSECRETS_OVERRIDE": "maybe"}[name], name == "DEVSECRETS_OVERRIDE"
	})
	if usage == nil {
		t.Fatal("DEVSECRETS_OVERRIDE=maybe was accepted")
	}
	var code int
	_, said := capture(t, func() { code = render(usage, false) })
	want := "devsecrets: error DS_USAGE: DEVSECRETS_OVERRIDE=maybe is not a boolean (1|true|yes|on or 0|false|no|off)\n" +
		"devsecrets: hint: set DEVSECRETS_OVERRIDE=1 or DEVSECRETS_OVERRIDE=0, or unset it\n"
	if code != 2 || said != want {
		t.Errorf("exit %d, stderr %q; want exit 2, %q", code, said, want)
	}
}
