// Randomised differential test: the streaming masker against a naive leftmost-longest scanner, however the input is cut.
// Rule: a fixed seed, so a failure replays; a small alphabet so values overlap, share prefixes and occur by accident.

package mask

import (
	"bytes"
	"math/rand"
	"sort"
	"testing"
)

// naiveMask is the definition the automaton must agree with: at each position the longest pattern, else one byte on.
func naiveMask(secrets []Secret, text []byte) []byte {
	patterns := Patterns(secrets)
	var out []byte
	for i := 0; i < len(text); {
		var best *Pattern
		for p := range patterns {
			if (best == nil || len(patterns[p].Bytes) > len(best.Bytes)) && bytes.HasPrefix(text[i:], patterns[p].Bytes) {
				best = &patterns[p]
			}
		}
		if best == nil {
			out = append(out, text[i])
			i++
			continue
		}
		out = append(out, best.Replacement...)
		i += len(best.Bytes)
	}
	return out
}

func TestDifferentialAgainstNaive(t *testing.T) {
	const alphabet = "abcd01=/\"\\ \n"
	rng := rand.New(rand.NewSource(20240611))
	word := func(min, max int) string {
		b := make([]byte, min+rng.Intn(max-min+1))
		for i := range b {
			b[i] = alphabet[rng.Intn(len(alphabet))]
		}
		return string(b)
	}
	for run := 0; run < 5000; run++ {
		var secrets []Secret
		for i, n := 0, 1+rng.Intn(6); i < n; i++ {
			secrets = append(secrets, Secret{Name: string(rune('A' + i)), Value: word(3, 14)})
		}
		patterns := Patterns(secrets)
		var text []byte
		for i, n := 0, rng.Intn(13); i < n; i++ {
			switch k := rng.Intn(4); {
			case k == 0:
				text = append(text, word(0, 8)...)
			case k == 1 && len(patterns) > 0:
				text = append(text, patterns[rng.Intn(len(patterns))].Bytes...)
			case k == 2:
				v := secrets[rng.Intn(len(secrets))].Value
				text = append(text, v[:rng.Intn(len(v)+1)]...)
			default:
				text = append(text, secrets[rng.Intn(len(secrets))].Value...)
			}
		}
		var cuts []int
		for i, n := 0, rng.Intn(7); i < n; i++ {
			cuts = append(cuts, rng.Intn(len(text)+1))
		}
		sort.Ints(cuts)
		var chunks []chunk
		from := 0
		for _, cut := range append(cuts, len(text)) {
			chunks = append(chunks, chunk{bytes: text[from:cut]})
			from = cut
		}
		c := Compile(secrets)
		want := naiveMask(secrets, text)
		whole := maskChunks(c, []chunk{{bytes: text}})
		split := maskChunks(c, chunks)
		if !bytes.Equal(whole, want) || !bytes.Equal(split, want) {
			t.Fatalf("run %d: secrets %q text %q cuts %v:\n whole %q\n split %q\n naive %q", run, secrets, text, cuts, whole, split, want)
		}
		for _, p := range patterns {
			if bytes.Contains(whole, p.Bytes) {
				t.Fatalf("run %d: %q left in %q", run, p.Bytes, whole)
			}
		}
	}
}

func TestDifferentialLongInputsTakeTheFastPath(t *testing.T) {
	// chunks long enough for the four interleaved walks, with values near the quarter boundaries
	rng := rand.New(rand.NewSource(7))
	secrets := []Secret{{Name: "A", Value: "needle-0123456789"}, {Name: "B", Value: "needle-01234"}, {Name: "C", Value: "haystack!!"}}
	for run := 0; run < 300; run++ {
		text := make([]byte, 4096+rng.Intn(8192))
		for i := range text {
			text[i] = "needl-0123 hays"[rng.Intn(15)]
		}
		for i, n := 0, rng.Intn(4); i < n; i++ {
			v := secrets[rng.Intn(len(secrets))].Value
			at := rng.Intn(len(text) - len(v))
			copy(text[at:], v)
		}
		var chunks []chunk
		for from := 0; from < len(text); {
			to := from + 1 + rng.Intn(3000)
			if to > len(text) {
				to = len(text)
			}
			chunks = append(chunks, chunk{bytes: text[from:to]})
			from = to
		}
		if got, want := maskChunks(Compile(secrets), chunks), naiveMask(secrets, text); !bytes.Equal(got, want) {
			t.Fatalf("run %d: the masked output differs from the naive scanner's (%d vs %d bytes)", run, len(got), len(want))
		}
	}
}
