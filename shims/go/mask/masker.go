// Streams a child's output through, replacing every served value (and its common encodings) by `****NAME`.
// Rule: the port of common/masking/masker.ts, same output for the same bytes however they are cut; pure, no I/O;
// holds back only bytes that could still begin a value.

package mask

// Compiled is the automaton for a set of secrets, built once and shared (read-only) by the maskers of several streams.
type Compiled struct {
	automaton    *automaton
	replacements [][]byte
}

// Compile builds the patterns of the secrets into one automaton; with no pattern, maskers pass output through.
func Compile(secrets []Secret) *Compiled {
	patterns := Patterns(secrets)
	if len(patterns) == 0 {
		return &Compiled{}
	}
	bytes := make([][]byte, len(patterns))
	replacements := make([][]byte, len(patterns))
	for i, p := range patterns {
		bytes[i], replacements[i] = p.Bytes, p.Replacement
	}
	return &Compiled{automaton: compileAutomaton(bytes), replacements: replacements}
}

// Masker masks one stream. A slice it returns may share memory with the chunk passed in or with the masker's own
// buffers: it is valid until the next call on the masker. Not safe for concurrent use.
type Masker struct {
	c     *Compiled
	state uint32
	held  []byte
	// the pending whole match (leftmost, longest so far), positions relative to the start of held; 0 = none
	candidate, candidateStart, candidateEnd int
	heldBuf, joined, out                    []byte
}

// New gives a masker over a compiled set of secrets.
func New(c *Compiled) *Masker { return &Masker{c: c} }

// Pending is the number of bytes held back, waiting to see whether they begin a value.
func (m *Masker) Pending() int { return len(m.held) }

// Push scans a chunk and returns what can be written now.
func (m *Masker) Push(chunk []byte) []byte {
	if m.c.automaton == nil {
		return chunk
	}
	if len(m.held) == 0 {
		return m.scan(chunk, 0, false)
	}
	m.joined = append(append(m.joined[:0], m.held...), chunk...)
	return m.scan(m.joined, len(m.held), false)
}

// End is the end of the stream: it returns everything still held, masked.
func (m *Masker) End() []byte {
	if m.c.automaton == nil {
		return nil
	}
	return m.scan(m.held, len(m.held), true)
}

// Flush gives up holding an unfinished prefix (a prompt, a stray partial match) and returns it unmasked; scanning goes
// on, so should the value complete later, its remaining bytes are still masked. It returns nothing while a whole match
// is held (it may yet grow longer).
func (m *Masker) Flush() []byte {
	if m.candidate != 0 || len(m.held) == 0 {
		return nil
	}
	out := m.held
	m.held = m.heldBuf[len(m.heldBuf):]
	return out
}

func (m *Masker) keep(held []byte) {
	// held may lie in heldBuf itself (End, Flush): copy moves overlapping bytes safely
	m.heldBuf = append(m.heldBuf[:0], held...)
	m.held = m.heldBuf
}

func (m *Masker) scan(buf []byte, from int, final bool) []byte {
	a := m.c.automaton
	// the common case, no value anywhere in the chunk: one quick pass, no bookkeeping
	if m.candidate == 0 && !final {
		if end, clean := a.runToEnd(buf, from, m.state); clean {
			m.state = end
			boundary := len(buf) - int(a.depth[end>>a.shift])
			if boundary < 0 {
				boundary = 0
			}
			m.keep(buf[boundary:])
			return buf[:boundary]
		}
	}
	next, match, depth, grows, lengths, shift := a.next, a.match, a.depth, a.grows, a.lengths, a.shift
	classOf := &a.classOf
	replacements := m.c.replacements
	out := m.out[:0]
	pieces := 0
	var single []byte
	emit := func(piece []byte) {
		if pieces == 0 {
			single = piece
		} else {
			if pieces == 1 {
				out = append(out, single...)
			}
			out = append(out, piece...)
		}
		pieces++
	}
	emitFrom := 0
	s := m.state
	pat, start, end := m.candidate, m.candidateStart, m.candidateEnd
	n := len(buf)
	i := from
	for {
		for ; i < n; i++ {
			s = next[s+classOf[buf[i]]]
			k := s >> shift
			found := int(match[k])
			if found == 0 && pat == 0 {
				continue
			}
			if found != 0 {
				foundStart := i + 1 - int(lengths[found-1])
				if pat == 0 || foundStart <= start {
					pat, start, end = found, foundStart, i+1
				}
			}
			// commit once no live prefix can begin at or before the match (it can neither grow nor lose to an earlier one)
			liveStart := i + 1 - int(depth[k])
			if liveStart > start || (liveStart == start && !grows[k]) {
				if start > emitFrom {
					emit(buf[emitFrom:start])
				}
				emit(replacements[pat-1])
				if end > emitFrom {
					emitFrom = end
				}
				// non-overlapping: scan again right after the match
				i = end - 1
				s = 0
				pat = 0
			}
		}
		if !(final && pat != 0) {
			break
		}
		if start > emitFrom {
			emit(buf[emitFrom:start])
		}
		emit(replacements[pat-1])
		if end > emitFrom {
			emitFrom = end
		}
		i = end
		s = 0
		pat = 0
	}
	boundary := n
	if !final {
		if pat != 0 {
			boundary = start
		}
		if live := n - int(depth[s>>shift]); live < boundary {
			boundary = live
		}
	}
	if boundary < emitFrom {
		boundary = emitFrom
	}
	if boundary > emitFrom {
		emit(buf[emitFrom:boundary])
	}
	// copied: the caller may reuse its chunk
	m.keep(buf[boundary:])
	if final {
		m.state = 0
	} else {
		m.state = s
	}
	m.candidate = pat
	m.candidateStart = start - boundary
	m.candidateEnd = end - boundary
	if pieces > 1 {
		m.out = out
		return out
	}
	return single
}
