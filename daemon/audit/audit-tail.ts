// The audit trail's last entries, for the dashboard: read from the end of the file, never the whole of it.
// Rule: entries as written (names, references, outcomes) without their chain fields; a torn line is skipped.

import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { AuditEventEntry } from "../protocol/events.js";

export function auditTail(path: string, count: number, maxBytes = 256 * 1024): AuditEventEntry[] {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return [];
  }
  let text: string;
  try {
    const size = fstatSync(fd).size;
    const chunk = Buffer.alloc(Math.min(size, maxBytes));
    readSync(fd, chunk, 0, chunk.length, size - chunk.length);
    text = chunk.toString("utf8");
  } finally {
    closeSync(fd);
  }
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const entries: AuditEventEntry[] = [];
  for (const line of lines.slice(-count - 1)) {
    try {
      const {
        prev: _prev,
        hash: _hash,
        ...entry
      } = JSON.parse(line) as AuditEventEntry & { prev: string; hash: string };
      if (typeof entry.seq === "number") entries.push(entry);
    } catch {
      // the first line of the chunk may be cut in half
    }
  }
  return entries.slice(-count);
}
