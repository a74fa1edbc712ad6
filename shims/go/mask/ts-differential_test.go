// Randomised differential test against the TS masker itself (dist/common/masking/masker.js): pushes, flushes and the end.
// Rule: the TS masker is the reference, flush included (which the naive scanner cannot model); a fixed seed replays.

package mask

import (
	"encoding/base64"
	"math/rand"
	"strings"
	"testing"

	"github.com/devsecrets/devsecrets/shims/go/internal/nodeeval"
)

type scenario struct {
	Secrets []Secret `json:"secrets"`
	Ops     []string `json:"ops"` // base64 of a chunk to push, or "flush"
}

func TestDifferentialAgainstTheTSMasker(t *testing.T) {
	// characters, not bytes: values travel as JSON strings; a multi-byte one lets chunks cut inside it
	alphabet := []string{"a", "b", "c", "0", "1", "=", "/", `"`, `\`, " ", "\n", "é"}
	rng := rand.New(rand.NewSource(99))
	word := func(max int) string {
		var b strings.Builder
		for i := rng.Intn(max + 1); i > 0; i-- {
			b.WriteString(alphabet[rng.Intn(len(alphabet))])
		}
		return b.String()
	}
	var scenarios []scenario
	for n := 0; n < 2000; n++ {
		s := scenario{Ops: []string{}}
		for i, k := 0, 1+rng.Intn(4); i < k; i++ {
			s.Secrets = append(s.Secrets, Secret{Name: string(rune('A' + i)), Value: word(12)})
		}
		forms := Patterns(s.Secrets)
		for i, k := 0, rng.Intn(10); i < k; i++ {
			var chunk string
			switch r := rng.Intn(5); {
			case r == 0:
				s.Ops = append(s.Ops, "flush")
				continue
			case r == 1 && len(forms) > 0:
				f := forms[rng.Intn(len(forms))].Bytes
				chunk = string(f[rng.Intn(len(f)):]) + word(3) + string(f[:rng.Intn(len(f)+1)])
			case r == 2:
				v := s.Secrets[rng.Intn(len(s.Secrets))].Value
				chunk = v[:rng.Intn(len(v)+1)]
			default:
				chunk = word(6)
			}
			s.Ops = append(s.Ops, base64.StdEncoding.EncodeToString([]byte(chunk)))
		}
		scenarios = append(scenarios, s)
	}
	script := `import { createMasker } from "./dist/common/masking/masker.js";
		let d = ""; process.stdin.on("data", (c) => (d += c)).on("end", () => {
			const out = JSON.parse(d).map(({ secrets, ops }) => {
				const m = createMasker(secrets);
				const parts = ops.map((op) => Buffer.from(op === "flush" ? m.flush() : m.push(Buffer.from(op, "base64"))));
				parts.push(Buffer.from(m.end()));
				return Buffer.concat(parts).toString("base64");
			});
			process.stdout.write(JSON.stringify(out));
		});`
	var want []string
	nodeeval.Eval(t, []string{"dist/common/masking/masker.js"}, script, scenarios, &want)
	if len(want) != len(scenarios) {
		t.Fatalf("node's answer: %d of %d", len(want), len(scenarios))
	}
	// the hard case: a flushed prefix whose value completes later, masked from a negative start
	flushedThenMasked := 0
	for n, s := range scenarios {
		m := New(Compile(s.Secrets))
		var out []byte
		flushed := false
		for _, op := range s.Ops {
			if op == "flush" {
				given := m.Flush()
				flushed = flushed || len(given) > 0
				out = append(out, given...)
				continue
			}
			chunk, _ := base64.StdEncoding.DecodeString(op)
			pushed := m.Push(chunk)
			if flushed && strings.Contains(string(pushed), "****") {
				flushedThenMasked++
				flushed = false
			}
			out = append(out, pushed...)
		}
		out = append(out, m.End()...)
		if got := base64.StdEncoding.EncodeToString(out); got != want[n] {
			g, _ := base64.StdEncoding.DecodeString(got)
			w, _ := base64.StdEncoding.DecodeString(want[n])
			t.Fatalf("scenario %d %+v: Go %q, TS %q", n, s, g, w)
		}
	}
	if flushedThenMasked < 20 {
		t.Errorf("only %d scenarios masked the rest of a flushed prefix: the generator should make more", flushedThenMasked)
	}
}
