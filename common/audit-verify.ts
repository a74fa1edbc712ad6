// Verifies the audit chain: every entry's hash, and each entry's `prev` against the one before.
// Rule: names the first broken entry by line and sequence; reads the file, never changes it.

import { readFileSync } from "node:fs";
import { entryHash, GENESIS, type AuditEntry } from "./audit-entry.js";

export interface VerifyResult {
  ok: boolean;
  entries: number;
  broken?: { line: number; seq: number | null; reason: string };
}

export function verifyAuditText(text: string): VerifyResult {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  let prev = GENESIS;
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let entry: AuditEntry;
    try {
      entry = JSON.parse(lines[i] as string) as AuditEntry;
    } catch {
      return { ok: false, entries: count, broken: { line, seq: null, reason: "not valid JSON" } };
    }
    const seq = typeof entry.seq === "number" ? entry.seq : null;
    if (typeof entry.hash !== "string" || typeof entry.prev !== "string") {
      return { ok: false, entries: count, broken: { line, seq, reason: "missing hash fields" } };
    }
    const { hash, ...body } = entry;
    if (entryHash(body) !== hash)
      return { ok: false, entries: count, broken: { line, seq, reason: "its hash does not match its content" } };
    if (entry.prev !== prev)
      return { ok: false, entries: count, broken: { line, seq, reason: "it does not follow the entry before it" } };
    prev = hash;
    count++;
  }
  return { ok: true, entries: count };
}

export function verifyAuditFile(path: string): VerifyResult {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { ok: true, entries: 0 };
    throw error;
  }
  return verifyAuditText(text);
}
