// One output stream of the child, masked on its way to ours (cli/run/masked-output.ts): what the masker lets go is written
// at once, in order. Rule: a short held prefix goes out after mask.Silence; when our reader is gone, the child finds out.

package main

import (
	"errors"
	"io"
	"os"
	"time"

	"github.com/devsecrets/devsecrets/shims/go/mask"
)

// pump copies from (the child's pipe) to out through a masker, made by newMasker at the first byte, until the child
// closes its end. When out fails (EPIPE: `| head`) it stops writing and closes the pipe, so the child learns by its
// own EPIPE or SIGPIPE.
func pump(from *os.File, out io.Writer, newMasker func() *mask.Masker) {
	var m *mask.Masker
	buf := make([]byte, 256<<10)
	closed := false
	send := func(b []byte) {
		if closed || len(b) == 0 {
			return
		}
		if _, err := out.Write(b); err != nil {
			closed = true
			from.Close()
		}
	}
	armed := false
	for {
		n, err := from.Read(buf)
		if n > 0 {
			if m == nil {
				m = newMasker()
			}
			send(m.Push(buf[:n]))
			// the silence counts from the last chunk: re-armed by each one while a short prefix is held
			if m.Waiting() {
				armed = from.SetReadDeadline(time.Now().Add(mask.Silence)) == nil
			} else if armed {
				armed = false
				from.SetReadDeadline(time.Time{})
			}
		}
		if err == nil {
			continue
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			send(m.Release())
			armed = false
			from.SetReadDeadline(time.Time{})
			continue
		}
		break // the end of the child's output, or our own close after EPIPE
	}
	if m != nil {
		send(m.End())
	}
	from.Close()
}
