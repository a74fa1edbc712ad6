// pump on real pipes: masked output at once, a short held prefix released by silence, and the child told when we lose our reader.
// Rule: timings are only bounds generous enough for a loaded machine; the order of bytes is exact.

package main

import (
	"errors"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/devsecrets/devsecrets/shims/go/mask"
)

// recorder collects what pump writes, with the time of each write.
type recorder struct {
	mu     sync.Mutex
	writes []string
	at     []time.Time
	fail   bool
}

func (r *recorder) Write(b []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail {
		return 0, syscall.EPIPE
	}
	r.writes = append(r.writes, string(b))
	r.at = append(r.at, time.Now())
	return len(b), nil
}

func (r *recorder) text() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := ""
	for _, w := range r.writes {
		out += w
	}
	return out
}

var token = mask.Secret{Name: "API_TOKEN", Value: "sk_test_51HqLyjWDarjtT1zdp7dc"}

func startPump(t *testing.T, out *recorder) (*os.File, chan struct{}) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		pump(r, out, func() *mask.Masker { return mask.New(mask.Compile([]mask.Secret{token})) })
		close(done)
	}()
	return w, done
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestPumpReleasesAShortPrefixAfterSilence(t *testing.T) {
	out := &recorder{}
	w, done := startPump(t, out)
	wrote := time.Now()
	w.Write([]byte("ready? sk"))
	waitFor(t, "the prompt", func() bool { return out.text() == "ready? sk" })
	out.mu.Lock()
	released := out.at[len(out.at)-1].Sub(wrote)
	out.mu.Unlock()
	if released < mask.Silence {
		t.Errorf("the held prefix came out after %v, before the silence of %v", released, mask.Silence)
	}
	w.Write([]byte(token.Value[2:] + " and sk_test"))
	w.Close()
	<-done
	if got := out.text(); got != "ready? sk****API_TOKEN and sk_test" {
		t.Errorf("got %q", got)
	}
}

func TestPumpHoldsFourBytesThroughSilence(t *testing.T) {
	out := &recorder{}
	w, done := startPump(t, out)
	w.Write([]byte("x sk_t"))
	time.Sleep(3 * mask.Silence)
	if got := out.text(); got != "x " {
		t.Errorf("4 held bytes must wait: got %q", got)
	}
	w.Write([]byte(token.Value[4:]))
	w.Close()
	<-done
	if got := out.text(); got != "x ****API_TOKEN" {
		t.Errorf("got %q", got)
	}
}

func TestPumpClosesThePipeWhenOurReaderIsGone(t *testing.T) {
	out := &recorder{fail: true}
	w, done := startPump(t, out)
	w.Write([]byte("first line\n"))
	<-done // pump gives up at its first failed write
	_, err := w.Write([]byte("more\n"))
	if !errors.Is(err, syscall.EPIPE) {
		t.Errorf("the child's next write should fail with EPIPE, got %v", err)
	}
	w.Close()
}
