// The audit trail: an append-only, hash-chained JSON-lines file, one chain across sessions.
// Rule: entries name references and actions, never values; a failed append fails the request closed.

import { appendFileSync, lstatSync, mkdirSync, openSync, readSync, closeSync, fstatSync } from "node:fs";
import { dirname } from "node:path";
import { createHash } from "node:crypto";
import { DevsecretsError } from "../errors.js";

export type AuditAction = "serve" | "mint" | "rotate" | "revoke" | "login" | "logout" | "wipe" | "set" | "unset";

export interface AuditEvent {
  action: AuditAction;
  session: string;
  /** the reference or variable concerned; never a value */
  reference?: string;
  variable?: string;
  outcome: "ok" | "denied" | "error";
  /** the requesting process, as its client reported it, and its executable where /proc tells */
  pid?: number;
  exe?: string;
  detail?: Record<string, string | number | boolean>;
}

export interface AuditEntry extends AuditEvent {
  seq: number;
  time: string;
  prev: string;
  hash: string;
}

export const GENESIS = "0".repeat(64);

/** the hash of an entry covers every field but `hash`, in a fixed order */
export function entryHash(entry: Omit<AuditEntry, "hash">): string {
  const { seq, time, prev, ...rest } = entry;
  const canonical = JSON.stringify({ seq, time, prev, ...sortKeys(rest) });
  return createHash("sha256").update(canonical).digest("hex");
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, value[k]]));
}

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
    const lines = chunk.toString("utf8").split("\n").filter((l) => l.trim() !== "");
    return lines.at(-1) ?? null;
  } finally {
    closeSync(fd);
  }
}

export class AuditLog {
  #prev = GENESIS;
  #seq = 0;

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
      lines.push(JSON.stringify({ ...body, hash }));
      prev = hash;
    }
    try {
      appendFileSync(this.path, `${lines.join("\n")}\n`, { mode: 0o600 });
    } catch (error) {
      throw new DevsecretsError("DS_AUDIT_UNAVAILABLE", `the audit log ${this.path} cannot be written (${(error as NodeJS.ErrnoException).code ?? "error"}): refusing to serve values`, { cause: error });
    }
    this.#prev = prev;
    this.#seq = seq;
  }
}
