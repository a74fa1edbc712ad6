// The shared masking vectors (test/mask-vectors.json), also run by test/unit/guard/mask-vectors.test.ts on the TS masker.
// Rule: a mismatch names the vector and the cut, and prints outputs only: the vectors' values are test data, not secrets.

package mask

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

type chunk struct {
	bytes   []byte
	silence bool
}

func (c *chunk) UnmarshalJSON(raw []byte) error {
	var text string
	if json.Unmarshal(raw, &text) == nil {
		c.bytes = []byte(text)
		return nil
	}
	var form struct {
		Base64  *string `json:"base64"`
		Silence bool    `json:"silence"`
	}
	if err := json.Unmarshal(raw, &form); err != nil {
		return err
	}
	if form.Base64 == nil {
		c.silence = form.Silence
		return nil
	}
	decoded, err := base64.StdEncoding.DecodeString(*form.Base64)
	c.bytes = decoded
	return err
}

type maskVector struct {
	Name            string   `json:"name"`
	Secrets         []Secret `json:"secrets"`
	Chunks          []chunk  `json:"chunks"`
	Expected        chunk    `json:"expected"`
	SplitEverywhere bool     `json:"splitEverywhere"`
}

func loadMaskVectors(t *testing.T) []maskVector {
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "test", "mask-vectors.json"))
	if err != nil {
		t.Fatalf("test/mask-vectors.json: %v", err)
	}
	var doc struct{ Vectors []maskVector }
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("test/mask-vectors.json: %v", err)
	}
	if len(doc.Vectors) < 20 {
		t.Fatalf("expected at least 20 vectors in test/mask-vectors.json, found %d", len(doc.Vectors))
	}
	return doc.Vectors
}

// maskChunks pushes the chunks through a new masker, a silence releasing as cli/run/masked-output.ts does, then ends.
func maskChunks(c *Compiled, chunks []chunk) []byte {
	m := New(c)
	var out []byte
	for _, piece := range chunks {
		if piece.silence {
			out = append(out, m.Release()...)
			continue
		}
		out = append(out, m.Push(piece.bytes)...)
	}
	return append(out, m.End()...)
}

func TestMaskVectors(t *testing.T) {
	for _, v := range loadMaskVectors(t) {
		v := v
		t.Run(v.Name, func(t *testing.T) {
			c := Compile(v.Secrets)
			want := v.Expected.bytes
			if got := maskChunks(c, v.Chunks); !bytes.Equal(got, want) {
				t.Fatalf("chunks as given: got %q, want %q", got, want)
			}
			var joined []byte
			for _, piece := range v.Chunks {
				if piece.silence {
					return // a silence's effect depends on where it falls: the other cuts do not apply
				}
				joined = append(joined, piece.bytes...)
			}
			var single []chunk
			for i := range joined {
				single = append(single, chunk{bytes: joined[i : i+1]})
			}
			if got := maskChunks(c, single); !bytes.Equal(got, want) {
				t.Errorf("one byte at a time: got %q, want %q", got, want)
			}
			if !v.SplitEverywhere {
				return
			}
			for cut := 0; cut <= len(joined); cut++ {
				if got := maskChunks(c, []chunk{{bytes: joined[:cut]}, {bytes: joined[cut:]}}); !bytes.Equal(got, want) {
					t.Errorf("cut at %d: got %q, want %q", cut, got, want)
				}
			}
		})
	}
}
