// Masker throughput on 100 MB of log-like output with 50 random 40-byte served values, as bench/masking.bench.ts feeds it.
// Rule: `go test -bench Mask -run ^$ ./mask` prints MB/s; timings are reported, never asserted.

package mask

import (
	"encoding/base64"
	"fmt"
	"math/rand"
	"testing"
)

func benchSecrets(rng *rand.Rand) []Secret {
	secrets := make([]Secret, 50)
	for i := range secrets {
		raw := make([]byte, 30)
		rng.Read(raw)
		secrets[i] = Secret{Name: fmt.Sprintf("SECRET_%d", i), Value: base64.RawURLEncoding.EncodeToString(raw)} // 40 bytes
	}
	return secrets
}

// logText is log-like text with the served values nowhere in it: the common case the masker must not slow.
func logText(rng *rand.Rand, size int) []byte {
	var block []byte
	for i := 0; i < 2000; i++ {
		id := make([]byte, 6)
		tok := make([]byte, 12)
		rng.Read(id)
		rng.Read(tok)
		block = append(block, fmt.Sprintf("2026-11-22T10:00:%02d.123Z INFO request id=%x path=/api/v1/items/%d status=200 ms=%d token=%s\n",
			i%60, id, i, i%97, base64.RawURLEncoding.EncodeToString(tok))...)
	}
	out := make([]byte, size)
	for o := 0; o < size; o += copy(out[o:], block) {
	}
	return out
}

func BenchmarkMask100MB(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	compiled := Compile(benchSecrets(rng))
	text := logText(rng, 100e6)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		m := New(compiled)
		// in 64 KiB chunks, as a pipe delivers them
		for o := 0; o < len(text); o += 65536 {
			end := o + 65536
			if end > len(text) {
				end = len(text)
			}
			m.Push(text[o:end])
		}
		m.End()
	}
}

func BenchmarkCompile50(b *testing.B) {
	secrets := benchSecrets(rand.New(rand.NewSource(1)))
	for n := 0; n < b.N; n++ {
		Compile(secrets)
	}
}
