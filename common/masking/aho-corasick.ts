// A byte-level Aho–Corasick automaton compiled to a dense DFA in typed arrays, for the output masker.
// Rule: pure and allocation-free after construction; scanning costs one table load per byte whatever the number of patterns.

/** set (the sign bit) on a `next` entry whose target state ends a pattern: the scan's hot loop reads no other table */
export const MATCH_FLAG = 0x80000000 | 0;
/** a `next` entry without its flag: the target state, premultiplied */
export const STATE_MASK = 0x7fffffff;

/**
 * The compiled automaton. States are premultiplied by `stride` (a power of two) so a step is
 * `state = next[state + classOf[byte]] & STATE_MASK`; per-state facts are read at `state >>> shift`.
 */
export interface Automaton {
  /** byte -> column; bytes that appear in no pattern share column 0 */
  readonly classOf: Uint16Array;
  /** premultiplied target states, MATCH_FLAG set where the target ends a pattern */
  readonly next: Int32Array;
  readonly shift: number;
  /** length of the longest prefix of some pattern that the state stands for */
  readonly depth: Int32Array;
  /** pattern index + 1 of the longest pattern ending in the state (its own or by a suffix), 0 for none */
  readonly match: Int32Array;
  /** 1 when the state's trie node has children: a match ending here could still grow */
  readonly extends: Uint8Array;
  readonly lengths: Int32Array;
  /** the longest pattern: a scan started at the root is exact after this many bytes */
  readonly maxLength: number;
}

export function compileAutomaton(patterns: readonly Uint8Array[]): Automaton {
  const classOf = new Uint16Array(256);
  let classes = 1;
  for (const pattern of patterns) {
    for (const byte of pattern) if (classOf[byte] === 0) classOf[byte] = classes++;
  }
  let shift = 0;
  while (1 << shift < classes) shift++;
  const stride = 1 << shift;

  let capacity = 1;
  for (const pattern of patterns) capacity += pattern.length;
  // zero-filled: every missing edge starts at the root (state 0); values are premultiplied by stride
  const next = new Int32Array(capacity * stride);
  const depth = new Int32Array(capacity);
  const match = new Int32Array(capacity);
  const extendsFlag = new Uint8Array(capacity);
  const lengths = Int32Array.from(patterns, (p) => p.length);
  // the trie's own edges as linked lists (class, target), kept apart from the table the failure links fill in
  const firstEdge = new Int32Array(capacity).fill(-1);
  const edgeNext = new Int32Array(capacity);
  const edgeClass = new Int32Array(capacity);

  let states = 1;
  patterns.forEach((pattern, index) => {
    let node = 0;
    for (const byte of pattern) {
      const c = classOf[byte]!;
      let child = -1;
      for (let e = firstEdge[node]!; e !== -1; e = edgeNext[e]!)
        if (edgeClass[e] === c) {
          child = e;
          break;
        }
      if (child === -1) {
        // the edge into a state is numbered as the state itself
        child = states++;
        depth[child] = depth[node]! + 1;
        edgeClass[child] = c;
        edgeNext[child] = firstEdge[node]!;
        firstEdge[node] = child;
        extendsFlag[node] = 1;
      }
      node = child;
    }
    const previous = match[node]!;
    if (previous === 0 || lengths[previous - 1]! < pattern.length) match[node] = index + 1;
  });

  // breadth-first: a state's row is its failure state's row (one native copy) with its own trie edges on top
  const fail = new Int32Array(states);
  const queue = new Int32Array(states);
  let tail = 0;
  for (let e = firstEdge[0]!; e !== -1; e = edgeNext[e]!) {
    next[edgeClass[e]!] = e * stride;
    queue[tail++] = e;
  }
  for (let head = 0; head < tail; head++) {
    const node = queue[head]!;
    const base = node * stride;
    const failBase = fail[node]! * stride;
    next.copyWithin(base, failBase, failBase + stride);
    for (let e = firstEdge[node]!; e !== -1; e = edgeNext[e]!) {
      const target = next[failBase + edgeClass[e]!]! / stride;
      fail[e] = target;
      // the child's own pattern is longer than anything its failure state ends with
      if (match[e] === 0) match[e] = match[target]!;
      next[base + edgeClass[e]!] = e * stride;
      queue[tail++] = e;
    }
  }
  // flagged last: the rows above were copied from each other while they held plain states
  for (let j = 0; j < states * stride; j++) {
    const target = next[j]!;
    if (match[target >>> shift] !== 0) next[j] = target | MATCH_FLAG;
  }
  return {
    classOf,
    shift,
    lengths,
    maxLength: Math.max(0, ...lengths),
    next: next.subarray(0, states * stride),
    depth: depth.subarray(0, states),
    match: match.subarray(0, states),
    extends: extendsFlag.subarray(0, states),
  };
}

/**
 * Runs the automaton over buf[from..] from `state` and returns the state at the end, or -1 as soon as it is known that
 * some pattern ends in there. Four interleaved walks instead of one: a walk is a chain of dependent loads, so four of
 * them keep the processor busy ~2.5x better. A walk started at the root `maxLength` bytes early is exact by the time
 * it reaches its own quarter (a state stands for at most `maxLength` bytes), and one still catching up sees only
 * patterns that truly end there. A match shows as MATCH_FLAG in the states themselves, or-ed together: no second
 * table read per byte (measured 1.6x faster than reading `match` per step).
 */
export function runToEnd(a: Automaton, buf: Uint8Array, from: number, state: number): number {
  const { next, classOf, maxLength } = a;
  const quarter = (buf.length - from) >> 2;
  let s0 = state;
  let i = from;
  if (quarter >= 2 * maxLength && quarter >= 256) {
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let hit = 0;
    const b1 = from + quarter;
    const b2 = b1 + quarter;
    const b3 = b2 + quarter;
    for (let t = -maxLength; t < 0; t++) {
      s1 = next[(s1 & STATE_MASK) + classOf[buf[b1 + t]!]!]!;
      s2 = next[(s2 & STATE_MASK) + classOf[buf[b2 + t]!]!]!;
      s3 = next[(s3 & STATE_MASK) + classOf[buf[b3 + t]!]!]!;
      hit |= s1 | s2 | s3;
    }
    for (let t = 0; t < quarter; t++) {
      s0 = next[(s0 & STATE_MASK) + classOf[buf[from + t]!]!]!;
      s1 = next[(s1 & STATE_MASK) + classOf[buf[b1 + t]!]!]!;
      s2 = next[(s2 & STATE_MASK) + classOf[buf[b2 + t]!]!]!;
      s3 = next[(s3 & STATE_MASK) + classOf[buf[b3 + t]!]!]!;
      hit |= s0 | s1 | s2 | s3;
    }
    if (hit < 0) return -1;
    s0 = s3;
    i = b3 + quarter;
  }
  for (; i < buf.length; i++) {
    s0 = next[(s0 & STATE_MASK) + classOf[buf[i]!]!]!;
    if (s0 < 0) return -1;
  }
  return s0 & STATE_MASK;
}
