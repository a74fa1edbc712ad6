// The audit trail: an append-only, hash-chained JSON-lines file, one chain across sessions.
// Rule: entries name references and actions, never values; a failed append fails the request closed.

import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { DevsecretsError } from "../../common/errors.js";
import { type AuditEntry, type AuditEvent, entryHash, GENESIS } from "../../common/audit-entry.js";
import type { AuditEventEntry } from "../protocol/events.js";
import { auditHeadPaths, encodeAuditHead, loadOrCreateHeadKey, readAuditHead } from "../../common/audit-head.js";

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
  #headFd: number | null = null;
  #headKey: Buffer | null = null;
  readonly #paths: { head: string; key: string };
  /** told of every entry once it is on disk (the `audit` event) while it listens; set by the composition root */
  observer: { listening(): boolean; appended(entries: readonly AuditEventEntry[]): void } | null = null;

  constructor(readonly path: string) {
    this.#paths = auditHeadPaths(path);
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
    const gap = this.#compareWithHead();
    if (gap) {
      try {
        // the chain goes on from what is there, but says in the chain itself what was lost, so verify keeps saying it
        this.append([{ action: "break", session: "-", outcome: "error", detail: gap }]);
      } catch {
        // the first request's append fails closed and says why
      }
    }
  }

  /** what the trail lost since the head was written, or null when it still reaches its head */
  #compareWithHead(): Record<string, string | number> | null {
    const reading = readAuditHead(this.#paths);
    if (reading.state === "absent") return null;
    if (reading.state === "forged") return { reason: "head-forged", foundSeq: this.#seq };
    const { head } = reading;
    // past the head: a crash between the trail's write and the head's; `audit verify` still checks the head's entry
    if (this.#seq > head.seq || (head.seq === this.#seq && head.hash === this.#prev)) return null;
    return { reason: this.#seq < head.seq ? "truncated" : "rewritten", headSeq: head.seq, foundSeq: this.#seq };
  }

  /** appends every event as one write; throws DS_AUDIT_UNAVAILABLE when the file cannot take them */
  append(events: readonly AuditEvent[]): void {
    if (events.length === 0) return;
    let prev = this.#prev;
    let seq = this.#seq;
    const time = new Date().toISOString();
    const lines: string[] = [];
    // entries for the stream are built only while someone listens: the resolve path pays nothing otherwise
    const told: AuditEventEntry[] | null = this.observer?.listening() ? [] : null;
    for (const event of events) {
      seq++;
      const body = { seq, time, prev, ...event };
      told?.push({ seq, time, ...event });
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
    this.#writeHead();
    if (told) this.observer?.appended(told);
  }

  /** overwrites the head in place (fixed width, one positional write): the trail must reach it at the next verify */
  #writeHead(): void {
    try {
      this.#headKey ??= loadOrCreateHeadKey(this.#paths.key);
      this.#headFd ??= openSync(this.#paths.head, constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
      const bytes = encodeAuditHead(this.#headKey, { seq: this.#seq, hash: this.#prev });
      writeSync(this.#headFd, bytes, 0, bytes.length, 0);
    } catch (error) {
      this.close();
      throw new DevsecretsError(
        "DS_AUDIT_UNAVAILABLE",
        `the audit head ${this.#paths.head} cannot be written (${(error as NodeJS.ErrnoException).code ?? "error"}): refusing to serve values`,
        { cause: error },
      );
    }
  }

  close(): void {
    for (const fd of [this.#fd, this.#headFd]) {
      if (fd === null) continue;
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    this.#fd = null;
    this.#headFd = null;
  }
}
