// Verifies the audit chain: every entry's hash, each entry's `prev` against the one before, and that it reaches its head.
// Rule: names the first broken entry by line and sequence, or says "truncated"/"rewritten"; reads, never changes.

import { readFileSync } from "node:fs";
import { entryHash, GENESIS, type AuditEntry } from "./audit-entry.js";
import { auditHeadPaths, type HeadReading, readAuditHead } from "./audit-head.js";

export interface VerifyResult {
  ok: boolean;
  entries: number;
  broken?: { line: number; seq: number | null; reason: string };
  /** how the trail stands against its head: "reached", or what happened to it; "absent" for trails older than 0.2.0 */
  head?: "reached" | "absent" | "truncated" | "rewritten" | "forged";
}

interface ChainEnd {
  seq: number;
  hash: string;
  /** the daemon's own record of a loss it found at start ("break" entries) */
  breaks: { line: number; seq: number; reason: string }[];
  /** the hash of the entry whose seq the head records, when the trail has it */
  hashAtWanted: string | null;
}

export function verifyAuditText(text: string): VerifyResult {
  return walkChain(text).result;
}

function walkChain(text: string, wantSeq = -1): { result: VerifyResult; end: ChainEnd } {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  let prev = GENESIS;
  let count = 0;
  const end: ChainEnd = { seq: 0, hash: GENESIS, breaks: [], hashAtWanted: null };
  const fail = (broken: NonNullable<VerifyResult["broken"]>) => ({
    result: { ok: false, entries: count, broken },
    end,
  });
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let entry: AuditEntry;
    try {
      entry = JSON.parse(lines[i] as string) as AuditEntry;
    } catch {
      return fail({ line, seq: null, reason: "not valid JSON" });
    }
    const seq = typeof entry.seq === "number" ? entry.seq : null;
    if (typeof entry.hash !== "string" || typeof entry.prev !== "string") {
      return fail({ line, seq, reason: "missing hash fields" });
    }
    const { hash, ...body } = entry;
    if (entryHash(body) !== hash) return fail({ line, seq, reason: "its hash does not match its content" });
    if (entry.prev !== prev) return fail({ line, seq, reason: "it does not follow the entry before it" });
    if (entry.action === "break") {
      end.breaks.push({ line, seq: entry.seq, reason: String(entry.detail?.reason ?? "unknown") });
    }
    if (entry.seq === wantSeq) end.hashAtWanted = hash;
    prev = hash;
    count++;
    end.seq = entry.seq;
    end.hash = hash;
  }
  return { result: { ok: true, entries: count }, end };
}

const HEAD_REASONS: Record<string, string> = {
  truncated: "truncated: entries at its end were removed",
  rewritten: "rewritten: its last entry is not the one the head recorded",
  "head-forged": "its head was removed or written without the key",
};

/**
 * the chain's verdict, then the head's. The head is read before the trail, so entries the daemon appends meanwhile
 * only lengthen the trail past it: the trail reaches its head when it holds the entry the head records.
 */
function checkHead(reading: HeadReading, walked: { result: VerifyResult; end: ChainEnd }): VerifyResult {
  const { result, end } = walked;
  if (!result.ok) return result;
  const firstBreak = end.breaks[0];
  if (firstBreak) {
    const why = HEAD_REASONS[firstBreak.reason] ?? firstBreak.reason;
    const head = firstBreak.reason === "head-forged" ? "forged" : (firstBreak.reason as VerifyResult["head"]);
    return {
      ...result,
      ok: false,
      head,
      broken: {
        line: firstBreak.line,
        seq: firstBreak.seq,
        reason: `the daemon found the trail ${why} (at its start)`,
      },
    };
  }
  if (reading.state === "absent") return { ...result, head: "absent" };
  const line = result.entries;
  if (reading.state === "forged") {
    return { ...result, ok: false, head: "forged", broken: { line, seq: end.seq, reason: reading.reason } };
  }
  const { head } = reading;
  if (end.hashAtWanted === head.hash || (head.seq === 0 && end.seq === 0)) return { ...result, head: "reached" };
  if (end.seq < head.seq) {
    const reason = `truncated: the trail ends at entry #${end.seq}, its head records #${head.seq}`;
    return { ...result, ok: false, head: "truncated", broken: { line, seq: end.seq, reason } };
  }
  const reason = `rewritten: entry #${head.seq} is not the one its head records`;
  return { ...result, ok: false, head: "rewritten", broken: { line, seq: head.seq, reason } };
}

export function verifyAuditFile(path: string): VerifyResult {
  // the head first: see checkHead
  const reading = readAuditHead(auditHeadPaths(path));
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    // a removed trail is a truncation to nothing when its head says there was one
    text = "";
  }
  return checkHead(reading, walkChain(text, reading.state === "valid" ? reading.head.seq : -1));
}
