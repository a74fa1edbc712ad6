// The crash journal: what must be undone (ids and kinds, never values), appended before it is handed out.
// Rule: a record is on disk (fsync) before the thing it names exists; a torn last line is ignored, never fatal;
// an entry leaves only when undone or expired anyway, and one that keeps failing is marked abandoned, never dropped.

import {
  openSync,
  writeSync,
  fsyncSync,
  closeSync,
  readFileSync,
  readSync,
  renameSync,
  mkdirSync,
  fstatSync,
  statSync,
} from "node:fs";
import { dirname } from "node:path";

/** where a credential lives, without any secret: enough to reconnect with the user's own credentials */
export interface JournalOrigin {
  host?: string;
  port?: string;
  user?: string;
  db?: string;
}

export interface JournalEntry {
  /** 2 for entries written by 0.2.0 and later; absent in 0.1.0's, which readers still accept */
  v?: 2;
  /** unique id of the item: a lease id, a role name, a session id */
  id: string;
  /** what undoes it: "session", "postgres-role", "vault-lease", "vault-token", ... */
  kind: string;
  /** the session that handed it out */
  session: string;
  /** when the item stops mattering on its own (ISO time), if it does */
  expiresAt?: string;
  /** non-secret coordinates the undo needs (a database URL without password, a Vault address) */
  data?: Record<string, string>;
  origin?: JournalOrigin;
  /** undo attempts that failed so far */
  attempts?: number;
  /** the earliest time (ISO) of the next attempt */
  nextAt?: string;
  /** when the first attempt failed (ISO): retries stop 24 h after it */
  firstFailedAt?: string;
  /** set after the last allowed attempt failed: kept, reported, no longer retried */
  abandoned?: boolean;
  /** a sandbox service's process and folder (added before it is spawned; pid and start time after) */
  service?: string;
  dir?: string;
  pid?: number;
  starttime?: number;
}

type Line =
  | { op: "add"; entry: JournalEntry }
  | { op: "done"; id: string }
  /** fields learnt later (a retry's count and time, a spawned process's pid) merged into the entry */
  | { op: "update"; id: string; fields: Partial<JournalEntry> };

export class Journal {
  /** whether this process has made sure the file ends with a newline (a crash can leave half a line) */
  #tailChecked = false;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  }

  /** every entry this version writes is v2 (readers still accept 0.1.0's, which have no `v`) */
  record(entry: JournalEntry): void {
    this.#append({ op: "add", entry: { ...entry, v: 2 } });
  }

  resolved(id: string): void {
    this.#append({ op: "done", id });
  }

  update(id: string, fields: Partial<JournalEntry>): void {
    this.#append({ op: "update", id, fields });
  }

  /** every added entry not yet resolved, in order; lines that do not parse (a torn write) are skipped */
  pending(): JournalEntry[] {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch {
      return [];
    }
    const open = new Map<string, JournalEntry>();
    for (const raw of text.split("\n")) {
      if (!raw) continue;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        continue;
      }
      if (line.op === "add" && line.entry && typeof line.entry.id === "string") open.set(line.entry.id, line.entry);
      else if (line.op === "done") open.delete(line.id);
      else if (line.op === "update" && open.has(line.id) && typeof line.fields === "object" && line.fields !== null) {
        // id and kind are what the entry is: an update never moves it to another item
        const { id: _id, kind: _kind, ...fields } = line.fields;
        open.set(line.id, { ...(open.get(line.id) as JournalEntry), ...fields });
      }
    }
    return [...open.values()];
  }

  /** rewrites the journal with only the pending entries (temp file + rename), so it does not grow forever */
  compact(): void {
    // nothing to rewrite (the common start): no temp file, no fsync on the way to the first answer
    if (isEmptyFile(this.path)) return;
    const pending = this.pending();
    const temp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(temp, "w", 0o600);
    try {
      for (const entry of pending) writeSync(fd, `${JSON.stringify({ op: "add", entry })}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.path);
  }

  #append(line: Line): void {
    // a+: appends, and lets the tail check below read the last byte
    const fd = openSync(this.path, "a+", 0o600);
    try {
      // a torn last line would swallow the first record appended after it: start that record on a line of its own
      const lead = this.#tailChecked ? "" : endsTorn(fd) ? "\n" : "";
      this.#tailChecked = true;
      writeSync(fd, `${lead}${JSON.stringify(line)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

function endsTorn(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}

function isEmptyFile(path: string): boolean {
  try {
    return statSync(path).size === 0;
  } catch {
    return true;
  }
}
