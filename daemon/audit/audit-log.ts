// The audit trail: an append-only, hash-chained JSON-lines file, one chain across sessions.
// Rule: entries name references and actions, never values; a failed append fails the request closed.

import { lstatSync, mkdirSync, openSync, readSync, closeSync, fstatSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { DevsecretsError } from "../../common/errors.js";
import { type AuditEntry, type AuditEvent, entryHash, GENESIS } from "../../common/audit-entry.js";

export type { AuditAction, AuditEntry, AuditEvent } from "../../common/audit-entry.js";

/** reads the last complete line of a regular file without reading it all (audit files grow) */
function lastLine(path: string): string | null {
  let fd: number;
  try {
    if (!lstatSync(path).isFile()) return null;
    fd = openSync(path, "r");
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    const chunk = Buffer.alloc(Math.min(size, 64 * 1024));
    readSync(fd, chunk, 0, chunk.length, size - chunk.length);
    const lines = chunk
      .toString("utf8")
      .split("\n")
      .filter((l) => l.trim() !== "");
    return lines.at(-1) ?? null;
  } finally {
    closeSync(fd);
  }
}

export class AuditLog {
  #prev = GENESIS;
  #seq = 0;
  // kept open: an open and a close per request cost more than the write itself
  #fd: number | null = null;

  constructor(readonly path: string) {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    } catch {
      // an unusable folder shows at the first append, which fails closed
    }
    const last = lastLine(path);
    if (last) {
      try {
        const entry = JSON.parse(last) as AuditEntry;
        this.#prev = entry.hash;
        this.#seq = entry.seq;
      } catch {
        // a torn last line: the chain continues from genesis-of-file semantics; verify will name it
      }
    }
  }

  /** appends every event as one write; throws DS_AUDIT_UNAVAILABLE when the file cannot take them */
  append(events: readonly AuditEvent[]): void {
    if (events.length === 0) return;
    let prev = this.#prev;
    let seq = this.#seq;
    const time = new Date().toISOString();
    const lines: string[] = [];
    for (const event of events) {
      seq++;
      const body = { seq, time, prev, ...event };
      const hash = entryHash(body);
      // the same bytes as JSON.stringify({ ...body, hash }) (hash last, a plain hex string), without a second object
      const json = JSON.stringify(body);
      lines.push(`${json.slice(0, -1)},"hash":"${hash}"}`);
      prev = hash;
    }
    try {
      this.#fd ??= openSync(this.path, "a", 0o600);
      writeSync(this.#fd, `${lines.join("\n")}\n`);
    } catch (error) {
      this.close();
      throw new DevsecretsError(
        "DS_AUDIT_UNAVAILABLE",
        `the audit log ${this.path} cannot be written (${(error as NodeJS.ErrnoException).code ?? "error"}): refusing to serve values`,
        { cause: error },
      );
    }
    this.#prev = prev;
    this.#seq = seq;
  }

  close(): void {
    if (this.#fd === null) return;
    try {
      closeSync(this.#fd);
    } catch {
      // already closed
    }
    this.#fd = null;
  }
}
