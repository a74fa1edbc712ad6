// Streams a child's output through, replacing every served value (and its common encodings) by `****NAME`.
// Rule: pure, no I/O; holds back only bytes that could still begin a value, so unrelated output is never delayed.

import { STATE_MASK, compileAutomaton, runToEnd, type Automaton } from "./aho-corasick.js";
import { maskPatterns, type MaskSecret } from "./mask-patterns.js";

export interface Masker {
  /** scans a chunk; returns what can be written now (may share memory with `chunk`) */
  push(chunk: Buffer): Buffer;
  /** end of the stream: returns everything still held, masked */
  end(): Buffer;
  /**
   * gives up holding an unfinished prefix (a prompt, a stray partial match) and returns it unmasked;
   * scanning goes on, so should the value complete later, its remaining bytes are still masked.
   * Returns nothing while a whole match is held (it may yet grow longer).
   */
  flush(): Buffer;
  /** bytes held back, waiting to see whether they begin a value */
  readonly pending: number;
}

const EMPTY = Buffer.alloc(0);

/** the automaton for a set of secrets, built once and shared by the maskers of several streams */
export interface CompiledMask {
  readonly automaton: Automaton | null;
  readonly replacements: readonly Buffer[];
}

export function compileMask(secrets: readonly MaskSecret[]): CompiledMask {
  const patterns = maskPatterns(secrets);
  if (patterns.length === 0) return { automaton: null, replacements: [] };
  return {
    automaton: compileAutomaton(patterns.map((p) => p.bytes)),
    replacements: patterns.map((p) => p.replacement),
  };
}

export function createMasker(source: readonly MaskSecret[] | CompiledMask): Masker {
  const { automaton: compiled, replacements } = "automaton" in source ? source : compileMask(source);
  if (!compiled) return passThrough();
  const automaton: Automaton = compiled;
  const { classOf, next, shift, depth, match, extends: grows, lengths } = automaton;

  let state = 0;
  let held: Buffer = EMPTY;
  // the pending whole match (leftmost, longest so far), positions relative to the start of `held`; 0 = none
  let candidate = 0;
  let candidateStart = 0;
  let candidateEnd = 0;

  function scan(buf: Buffer, from: number, final: boolean): Buffer {
    // the common case, no value anywhere in the chunk: one quick pass, no bookkeeping
    if (candidate === 0 && !final) {
      const end = runToEnd(automaton, buf, from, state);
      if (end !== -1) {
        state = end;
        const boundary = Math.max(0, buf.length - depth[end >>> shift]!);
        held = boundary < buf.length ? Buffer.from(buf.subarray(boundary)) : EMPTY;
        return boundary === buf.length ? buf : buf.subarray(0, boundary);
      }
    }
    const pieces: Buffer[] = [];
    let emitFrom = 0;
    let s = state;
    let pat = candidate;
    let start = candidateStart;
    let end = candidateEnd;
    const len = buf.length;
    let i = from;
    for (;;) {
      for (; i < len; i++) {
        s = next[s + classOf[buf[i]!]!]! & STATE_MASK;
        const k = s >>> shift;
        const m = match[k]!;
        if (m === 0 && pat === 0) continue;
        if (m !== 0) {
          const mStart = i + 1 - lengths[m - 1]!;
          if (pat === 0 || mStart <= start) {
            pat = m;
            start = mStart;
            end = i + 1;
          }
        }
        // commit once no live prefix can begin at or before the match (it can neither grow nor lose to an earlier one)
        const liveStart = i + 1 - depth[k]!;
        if (liveStart > start || (liveStart === start && grows[k] === 0)) {
          if (start > emitFrom) pieces.push(buf.subarray(emitFrom, start));
          pieces.push(replacements[pat - 1]!);
          if (end > emitFrom) emitFrom = end;
          // non-overlapping: scan again right after the match
          i = end - 1;
          s = 0;
          pat = 0;
        }
      }
      if (!(final && pat !== 0)) break;
      if (start > emitFrom) pieces.push(buf.subarray(emitFrom, start));
      pieces.push(replacements[pat - 1]!);
      if (end > emitFrom) emitFrom = end;
      i = end;
      s = 0;
      pat = 0;
    }
    let boundary = final ? len : Math.min(pat === 0 ? len : start, len - depth[s >>> shift]!);
    if (boundary < emitFrom) boundary = emitFrom;
    if (boundary > emitFrom) pieces.push(buf.subarray(emitFrom, boundary));
    // copied: the caller may reuse its chunk
    held = boundary < len ? Buffer.from(buf.subarray(boundary)) : EMPTY;
    state = final ? 0 : s;
    candidate = pat;
    candidateStart = start - boundary;
    candidateEnd = end - boundary;
    if (pieces.length === 0) return EMPTY;
    return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
  }

  return {
    push(chunk) {
      if (held.length === 0) return scan(chunk, 0, false);
      return scan(Buffer.concat([held, chunk]), held.length, false);
    },
    end() {
      return scan(held, held.length, true);
    },
    flush() {
      if (candidate !== 0 || held.length === 0) return EMPTY;
      const out = held;
      held = EMPTY;
      return out;
    },
    get pending() {
      return held.length;
    },
  };
}

function passThrough(): Masker {
  return { push: (chunk) => chunk, end: () => EMPTY, flush: () => EMPTY, pending: 0 };
}
