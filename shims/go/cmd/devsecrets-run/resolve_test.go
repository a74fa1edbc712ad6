// The pieces of the resolve step that need no daemon: the answer's order, the child's environment, the socket path.
// Rule: the end-to-end behaviour against a real daemon is test/e2e/run-native.test.ts's.

package main

import (
	"reflect"
	"testing"

	devsecrets "github.com/devsecrets/devsecrets/shims/go"
)

func TestVariableOrderIsTheDaemons(t *testing.T) {
	body := []byte(`{"kept":["X"],"variables":{"Z":"1","A":"{\"nested\":true}","M":"3"},"notices":[]}`)
	if got := variableOrder(body); !reflect.DeepEqual(got, []string{"Z", "A", "M"}) {
		t.Errorf("got %q", got)
	}
	if got := variableOrder([]byte(`[1]`)); got != nil {
		t.Errorf("not an object: got %q", got)
	}
}

func TestChildEnvironIsTheSpreadOfNode(t *testing.T) {
	a := &answer{Answer: devsecrets.Answer{Variables: map[string]string{"B": "new", "Z": "z", "A": "a"}}, order: []string{"Z", "B", "A"}}
	got := childEnviron([]string{"PATH=/bin", "B=old", "C=c=d", "B=second"}, a)
	want := []string{"PATH=/bin", "B=new", "C=c=d", "Z=z", "A=a"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLoneSurrogatesGoToNode(t *testing.T) {
	for body, want := range map[string]bool{
		`{"variables":{"A":"\ud800x"}}`: true,
		`{"variables":{"A":"\uDFFF"}}`:  true,
		`{"variables":{"A":"\u00e9"}}`:  false,
		`{"variables":{"A":"🔑"}}`:       false,
		`{"variables":{"A":"\ud7ff"}}`:  false,
	} {
		if got := holdsLoneSurrogate([]byte(body)); got != want {
			t.Errorf("%s: got %v", body, got)
		}
	}
}

func TestSocketPathReadsTmpLikeNode(t *testing.T) {
	cases := []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"DEVSECRETS_SOCKET": "/s.sock", "XDG_RUNTIME_DIR": "/run"}, "/s.sock"},
		{map[string]string{"XDG_RUNTIME_DIR": "/run/"}, "/run/devsecrets/daemon.sock"},
		{map[string]string{"TMP": "/tmp2/"}, "/tmp2/devsecrets-"},
		{map[string]string{"TEMP": "/tmp3", "TMPDIR": ""}, "/tmp3/devsecrets-"},
		{map[string]string{}, "/tmp/devsecrets-"},
	}
	for _, c := range cases {
		got := socketPath(c.vars)
		if len(got) < len(c.want) || got[:len(c.want)] != c.want {
			t.Errorf("%v: got %s, want %s...", c.vars, got, c.want)
		}
	}
}
