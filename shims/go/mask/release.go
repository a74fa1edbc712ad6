// The silence rule of cli/run/masked-output.ts, kept beside the masker so the shared vectors can run it.
// Rule: only a held prefix shorter than ReleaseBelow goes out after Silence; a longer one waits for more bytes or the end.

package mask

import "time"

const (
	// ReleaseBelow: below this many held bytes, silence releases them (a prompt is never stuck behind a possible secret).
	ReleaseBelow = 4
	// Silence is how long a stream must say nothing before a short held prefix goes out.
	Silence = 50 * time.Millisecond
)

// Waiting reports whether a silence starting now would release something.
func (m *Masker) Waiting() bool {
	return len(m.held) > 0 && len(m.held) < ReleaseBelow
}

// Release is what a stream writes after a silence: the short held prefix, unmasked, or nothing.
func (m *Masker) Release() []byte {
	if !m.Waiting() {
		return nil
	}
	return m.Flush()
}
