// EncodeURIComponent and JSONStringify against Node's own, on every interesting code point and random strings.
// Rule: the real JavaScript is the reference (node on PATH, as every shim test needs); no node is a failure, not a skip.

package mask

import (
	"encoding/json"
	"math/rand"
	"os/exec"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestJSFormsMatchNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not on PATH: the JavaScript encodings are checked against it")
	}
	var inputs []string
	for r := rune(0); r < 0x250; r++ {
		inputs = append(inputs, "x"+string(r)+"y")
	}
	for _, r := range []rune{0x2028, 0x2029, 0xfeff, 0xfffd, 0x1f511, 0x10ffff} {
		inputs = append(inputs, string(r))
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 300; i++ {
		var b strings.Builder
		for j := rng.Intn(20); j > 0; j-- {
			switch rng.Intn(3) {
			case 0:
				b.WriteRune(rune(rng.Intn(0x80)))
			case 1:
				b.WriteRune(rune(0x80 + rng.Intn(0xd000)))
			default:
				b.WriteRune(rune(0x10000 + rng.Intn(0x10000)))
			}
		}
		inputs = append(inputs, b.String())
	}
	for _, s := range inputs {
		if !utf8.ValidString(s) {
			t.Fatalf("bad input %q", s)
		}
	}
	payload, _ := json.Marshal(inputs)
	script := `let d="";process.stdin.on("data",c=>d+=c).on("end",()=>{const a=JSON.parse(d);` +
		`process.stdout.write(JSON.stringify(a.map(s=>[encodeURIComponent(s),JSON.stringify(s)])))})`
	cmd := exec.Command(node, "-e", script)
	cmd.Stdin = strings.NewReader(string(payload))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var want [][2]string
	if err := json.Unmarshal(out, &want); err != nil || len(want) != len(inputs) {
		t.Fatalf("node's answer: %v (%d of %d)", err, len(want), len(inputs))
	}
	for i, s := range inputs {
		if got := EncodeURIComponent(s); got != want[i][0] {
			t.Errorf("encodeURIComponent(%q) = %q, node says %q", s, got, want[i][0])
		}
		if got := JSONStringify(s); got != want[i][1] {
			t.Errorf("JSON.stringify(%q) = %q, node says %q", s, got, want[i][1])
		}
	}
}
