// A byte-level Aho–Corasick automaton compiled to a dense DFA, the port of common/masking/aho-corasick.ts.
// Rule: read-only after construction (two streams' maskers share one); a scan step is one table load per byte.

package mask

// automaton is the compiled DFA. States are premultiplied by the stride (a power of two) so a step is
// s = next[s+classOf[b]]; per-state facts are read at s>>shift.
type automaton struct {
	// byte -> column; bytes that appear in no pattern share column 0
	classOf [256]uint32
	next    []uint32
	shift   uint
	// length of the longest prefix of some pattern that the state stands for
	depth []int32
	// pattern index + 1 of the longest pattern ending in the state (its own or by a suffix), 0 for none
	match []int32
	// true when the state's trie node has children: a match ending here could still grow
	grows   []bool
	lengths []int32
	// the longest pattern: a scan started at the root is exact after this many bytes
	maxLength int
	// states at or above this (premultiplied) number end a pattern; all others do not
	firstMatch uint32
}

func compileAutomaton(patterns [][]byte) *automaton {
	a := &automaton{}
	classes := uint32(1)
	for _, p := range patterns {
		for _, b := range p {
			if a.classOf[b] == 0 {
				a.classOf[b] = classes
				classes++
			}
		}
	}
	for 1<<a.shift < classes {
		a.shift++
	}
	stride := uint32(1) << a.shift

	capacity := 1
	for _, p := range patterns {
		capacity += len(p)
		if len(p) > a.maxLength {
			a.maxLength = len(p)
		}
	}
	// zero-filled: every missing edge starts at the root (state 0)
	next := make([]uint32, capacity*int(stride))
	depth := make([]int32, capacity)
	match := make([]int32, capacity)
	grows := make([]bool, capacity)
	a.lengths = make([]int32, len(patterns))
	// the trie's own edges as linked lists (class, target); the edge into a state is numbered as the state itself
	firstEdge := make([]int32, capacity)
	edgeNext := make([]int32, capacity)
	edgeClass := make([]uint32, capacity)
	for i := range firstEdge {
		firstEdge[i] = -1
	}

	states := int32(1)
	for index, p := range patterns {
		a.lengths[index] = int32(len(p))
		node := int32(0)
		for _, b := range p {
			c := a.classOf[b]
			child := int32(-1)
			for e := firstEdge[node]; e != -1; e = edgeNext[e] {
				if edgeClass[e] == c {
					child = e
					break
				}
			}
			if child == -1 {
				child = states
				states++
				depth[child] = depth[node] + 1
				edgeClass[child] = c
				edgeNext[child] = firstEdge[node]
				firstEdge[node] = child
				grows[node] = true
			}
			node = child
		}
		if previous := match[node]; previous == 0 || a.lengths[previous-1] < int32(len(p)) {
			match[node] = int32(index + 1)
		}
	}

	// breadth-first: a state's row is its failure state's row with its own trie edges on top
	fail := make([]int32, states)
	queue := make([]int32, 0, states)
	for e := firstEdge[0]; e != -1; e = edgeNext[e] {
		next[edgeClass[e]] = uint32(e) * stride
		queue = append(queue, e)
	}
	for head := 0; head < len(queue); head++ {
		node := queue[head]
		base := uint32(node) * stride
		failBase := uint32(fail[node]) * stride
		copy(next[base:base+stride], next[failBase:failBase+stride])
		for e := firstEdge[node]; e != -1; e = edgeNext[e] {
			target := int32(next[failBase+edgeClass[e]] / stride)
			fail[e] = target
			// the child's own pattern is longer than anything its failure state ends with
			if match[e] == 0 {
				match[e] = match[target]
			}
			next[base+edgeClass[e]] = uint32(e) * stride
			queue = append(queue, e)
		}
	}
	a.renumber(next[:int(states)*int(stride)], depth[:states], match[:states], grows[:states])
	return a
}

// renumber puts the states where a pattern ends after all others, so a walk tells a match by its state number alone
// (s >= firstMatch): the hot loop loads no per-state fact. The root, which ends no pattern, stays 0.
func (a *automaton) renumber(next []uint32, depth, match []int32, grows []bool) {
	place := make([]uint32, len(match))
	to := uint32(0)
	for _, ends := range []bool{false, true} {
		if ends {
			a.firstMatch = to << a.shift
		}
		for k := range match {
			if (match[k] != 0) == ends {
				place[k] = to
				to++
			}
		}
	}
	// in place (a second table would double the memory to clear): first every target, then the rows along each cycle
	for i, target := range next {
		next[i] = place[target>>a.shift] << a.shift
	}
	stride := uint32(1) << a.shift
	carry := make([]uint32, stride)
	for start := range place {
		if place[start] == uint32(start) {
			continue
		}
		copy(carry, next[uint32(start)*stride:][:stride])
		d, m, g := depth[start], match[start], grows[start]
		for k := uint32(start); ; {
			dest := place[k]
			place[k] = k // done
			row := next[dest*stride:][:stride]
			for c := range row {
				row[c], carry[c] = carry[c], row[c]
			}
			depth[dest], d = d, depth[dest]
			match[dest], m = m, match[dest]
			grows[dest], g = g, grows[dest]
			if k = dest; k == uint32(start) {
				break
			}
		}
	}
	a.next, a.depth, a.match, a.grows = next, depth, match, grows
}

// runToEnd runs the automaton over buf[from:] from state and returns the state at the end, or false as soon as it is
// known that some pattern ends in there. Four interleaved walks instead of one: a walk is a chain of dependent loads,
// so four keep the processor busy. A walk started at the root maxLength bytes early is exact by the time it reaches its
// own quarter, and one still catching up sees only patterns that truly end there.
func (a *automaton) runToEnd(buf []byte, from int, state uint32) (uint32, bool) {
	next, firstMatch := a.next, a.firstMatch
	classOf := &a.classOf
	quarter := (len(buf) - from) >> 2
	s0 := state
	i := from
	if quarter >= 2*a.maxLength && quarter >= 256 {
		var s1, s2, s3, highest uint32
		b1 := from + quarter
		b2 := b1 + quarter
		b3 := b2 + quarter
		for t := -a.maxLength; t < 0; t++ {
			s1 = next[s1+classOf[buf[b1+t]]]
			s2 = next[s2+classOf[buf[b2+t]]]
			s3 = next[s3+classOf[buf[b3+t]]]
			highest = max(highest, s1, s2, s3)
		}
		q0 := buf[from : from+quarter]
		q1 := buf[b1:][:len(q0)]
		q2 := buf[b2:][:len(q0)]
		q3 := buf[b3:][:len(q0)]
		for t := range q0 {
			s0 = next[s0+classOf[q0[t]]]
			s1 = next[s1+classOf[q1[t]]]
			s2 = next[s2+classOf[q2[t]]]
			s3 = next[s3+classOf[q3[t]]]
			highest = max(highest, s0, s1, s2, s3)
		}
		if highest >= firstMatch {
			return 0, false
		}
		s0 = s3
		i = b3 + quarter
	}
	for _, b := range buf[i:] {
		s0 = next[s0+classOf[b]]
		if s0 >= firstMatch {
			return 0, false
		}
	}
	return s0, true
}
