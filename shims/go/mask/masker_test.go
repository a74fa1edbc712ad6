// The masker beyond the vectors: what is held back and when, flush, pass-through, and the TS tests' own cases.
// Rule: the same expectations as test/unit/guard/masker.test.ts, where the TS masker is the reference.

package mask

import (
	"bytes"
	"testing"
)

var token = Secret{Name: "API_TOKEN", Value: "sk_test_51HqLyjWDarjtT1zdp7dc"}

func expect(t *testing.T, what string, got []byte, want string) {
	t.Helper()
	if string(got) != want {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}

func TestOnlyPossiblePrefixesAreHeld(t *testing.T) {
	m := New(Compile([]Secret{token}))
	expect(t, "a prompt", m.Push([]byte("Password: ")), "Password: ")
	if m.Pending() != 0 {
		t.Errorf("pending after a prompt: %d", m.Pending())
	}
	expect(t, "a prefix", m.Push([]byte("line sk_te")), "line ")
	if m.Pending() != 5 {
		t.Errorf("pending after sk_te: %d, want 5", m.Pending())
	}
	expect(t, "the prefix dies", m.Push([]byte("ll")), "sk_tell")
	expect(t, "a new prefix", m.Push([]byte("sk")), "")
	expect(t, "the end", m.End(), "sk")
}

func TestFlushGivesUpAPrefixAndStillMasksTheRest(t *testing.T) {
	m := New(Compile([]Secret{token}))
	expect(t, "push", m.Push([]byte("> sk_")), "> ")
	expect(t, "flush", m.Flush(), "sk_")
	if m.Pending() != 0 {
		t.Errorf("pending after flush: %d", m.Pending())
	}
	expect(t, "the rest", m.Push([]byte(token.Value[3:]+"!")), "****API_TOKEN!")
	expect(t, "end", m.End(), "")
}

func TestFlushHoldsAWholeMatchThatMayGrow(t *testing.T) {
	m := New(Compile([]Secret{{Name: "SHORT", Value: "abcdef12"}, {Name: "LONG", Value: "abcdef1234567"}}))
	expect(t, "push", m.Push([]byte("x abcdef12")), "x ")
	expect(t, "flush while a match is held", m.Flush(), "")
	expect(t, "end", m.End(), "****SHORT")
}

func TestReleaseOnlyBelowFourBytes(t *testing.T) {
	m := New(Compile([]Secret{token}))
	m.Push([]byte("ready? sk_t"))
	if m.Waiting() {
		t.Error("4 held bytes should wait for more")
	}
	expect(t, "release of 4 bytes", m.Release(), "")
	m = New(Compile([]Secret{token}))
	m.Push([]byte("ready? sk_"))
	if !m.Waiting() {
		t.Error("3 held bytes should be released by silence")
	}
	expect(t, "release of 3 bytes", m.Release(), "sk_")
}

func TestNoPatternsPassThrough(t *testing.T) {
	m := New(Compile([]Secret{{Name: "A", Value: "1"}}))
	chunk := []byte("anything")
	if got := m.Push(chunk); &got[0] != &chunk[0] || len(got) != len(chunk) {
		t.Error("with no pattern the chunk itself should come back")
	}
	if len(m.End()) != 0 || len(m.Flush()) != 0 || m.Pending() != 0 {
		t.Error("a pass-through masker holds nothing")
	}
}

func TestPatternsForms(t *testing.T) {
	got := Patterns([]Secret{{Name: "V", Value: "12345678"}, {Name: "W", Value: "12345678"}, {Name: "P", Value: "3000"}})
	var forms []string
	for _, p := range got {
		if string(p.Replacement) != "****V" {
			t.Errorf("%q is named %q, want ****V (the first secret)", p.Bytes, p.Replacement)
		}
		forms = append(forms, string(p.Bytes))
	}
	// the raw value, base64 unpadded, its first 10 characters; URL and JSON forms equal the raw one and are deduplicated
	want := []string{"12345678", "MTIzNDU2Nzg", "MTIzNDU2Nz"}
	if len(forms) != len(want) {
		t.Fatalf("forms %q, want %q", forms, want)
	}
	for i := range want {
		if forms[i] != want[i] {
			t.Errorf("form %d: %q, want %q", i, forms[i], want[i])
		}
	}
}

func TestReturnedBytesSurviveTheCallersReuse(t *testing.T) {
	m := New(Compile([]Secret{token}))
	buf := []byte("abc sk_test_51")
	var out bytes.Buffer
	out.Write(m.Push(buf))
	copy(buf, "XXXXXXXXXXXXXX")
	out.Write(m.Push([]byte("HqLyjWDarjtT1zdp7dc.")))
	out.Write(m.End())
	expect(t, "after reuse", out.Bytes(), "abc ****API_TOKEN.")
}
