// Undoing journaled items: one revoker per kind (a PostgreSQL role, a Vault lease), run by the wipe and at start.
// Rule: an item leaves the journal only when its revoker succeeded; a failure is reported, never claimed as done.

import type { Journal, JournalEntry } from "./journal.js";

export type Revoker = (entry: JournalEntry) => Promise<void>;

export interface RevokeReport {
  undone: number;
  failed: string[];
}

export class Revokers {
  readonly #byKind = new Map<string, Revoker>();

  constructor(private readonly journal: Journal) {}

  register(kind: string, revoker: Revoker): void {
    this.#byKind.set(kind, revoker);
  }

  kinds(): string[] {
    return [...this.#byKind.keys()];
  }

  /** revokes pending entries that match (all but sessions by default), newest first, retrying each a few times */
  async revoke(match: (entry: JournalEntry) => boolean = () => true, attempts = 3): Promise<RevokeReport> {
    const report: RevokeReport = { undone: 0, failed: [] };
    const pending = this.journal
      .pending()
      .filter((e) => e.kind !== "session" && match(e))
      .reverse();
    for (const entry of pending) {
      const revoker = this.#byKind.get(entry.kind);
      if (!revoker) {
        report.failed.push(`${entry.kind}:${entry.id} (no revoker)`);
        continue;
      }
      let done = false;
      for (let attempt = 1; attempt <= attempts && !done; attempt++) {
        try {
          await revoker(entry);
          done = true;
        } catch {
          if (attempt < attempts) await new Promise((r) => setTimeout(r, 200 * 2 ** (attempt - 1)));
        }
      }
      if (done) {
        this.journal.resolved(entry.id);
        report.undone++;
      } else {
        report.failed.push(`${entry.kind}:${entry.id}`);
      }
    }
    return report;
  }
}
