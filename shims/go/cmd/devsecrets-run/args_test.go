// readRunArgs against cli/run-child.ts's own, on every case test/unit/cli/read-run-args.test.ts tries and a few more.
// Rule: differential: the TS function (itself checked against commander) is the reference.

package main

import (
	"reflect"
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

var envCases = []map[string]string{
	{},
	{"DEVSECRETS_ENV": "staging"},
	{"DEVSECRETS_ENV": ""},
	{"DEVSECRETS_OVERRIDE": "0"},
	{"DEVSECRETS_NO_MASK": ""},
	{"DEVSECRETS_ENV": "x", "DEVSECRETS_OVERRIDE": "1", "DEVSECRETS_NO_MASK": "1"},
}

type parsedRun struct {
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
		`process.stdout.write(JSON.stringify(input.map((p) => readRunArgs(p.args, p.env))));`, pairs, &want)
	if len(want) != len(pairs) {
		t.Fatalf("node answered %d cases of %d", len(want), len(pairs))
	}
	for i, p := range pairs {
		got, ok := readRunArgs(p.Args, func(name string) (string, bool) { v, set := p.Env[name]; return v, set })
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
	got, ok := readRunArgs([]string{"--env", "staging", "--override", "--", "npm", "start"}, none)
	if !ok || got.env != "staging" || !got.override || !got.mask || !reflect.DeepEqual(got.argv, []string{"npm", "start"}) {
		t.Errorf("got %+v %v", got, ok)
	}
	got, ok = readRunArgs([]string{"npm", "test", "--no-mask"}, none)
	if !ok || got.env != "dev" || got.override || !got.mask || !reflect.DeepEqual(got.argv, []string{"npm", "test", "--no-mask"}) {
		t.Errorf("flags after the command are the command's: got %+v %v", got, ok)
	}
	if _, ok := readRunArgs([]string{"--help"}, none); ok {
		t.Error("--help must go to Node")
	}
}
