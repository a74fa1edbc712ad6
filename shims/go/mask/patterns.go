// Which byte strings stand for a served value in a child's output: the value itself and the encodings it is often printed in.
// Rule: bit for bit common/masking/mask-patterns.ts; short values are never patterns, encodings only for values long enough.

package mask

import "encoding/base64"

// Secret is a served value and the variable it was served as.
type Secret struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Pattern is one byte string to hide and what replaces it (`****NAME`).
type Pattern struct {
	Bytes       []byte
	Replacement []byte
}

const (
	// MinValueBytes: shorter values are not masked at all (they would mask ordinary text).
	MinValueBytes = 6
	// MinEncodedBytes: values at least this long are also masked in base64, URL and JSON forms.
	MinEncodedBytes = 8
)

// Patterns gives one pattern per distinct byte string; the first secret that yields a string names it.
func Patterns(secrets []Secret) []Pattern {
	seen := map[string]bool{}
	var patterns []Pattern
	for _, secret := range secrets {
		raw := secret.Value
		if len(raw) < MinValueBytes {
			continue
		}
		replacement := []byte("****" + secret.Name)
		forms := []string{raw}
		if len(raw) >= MinEncodedBytes {
			// unpadded: what `=+$` stripping leaves
			b64 := base64.RawStdEncoding.EncodeToString([]byte(raw))
			forms = append(forms, b64)
			// the last character of unpadded base64 also carries bits of whatever follows the value
			// (`echo "$TOKEN" | base64` encodes a newline after it): the characters the value alone decides
			if whole := len(raw) * 8 / 6; whole < len(b64) {
				forms = append(forms, b64[:whole])
			}
			json := JSONStringify(raw)
			forms = append(forms, EncodeURIComponent(raw), json[1:len(json)-1])
		}
		for _, form := range forms {
			if !seen[form] {
				seen[form] = true
				patterns = append(patterns, Pattern{Bytes: []byte(form), Replacement: replacement})
			}
		}
	}
	return patterns
}
