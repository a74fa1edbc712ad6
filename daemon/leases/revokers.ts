// Undoing journaled items: one revoker per kind (a PostgreSQL role, a Vault lease), run by the wipe and at start.
// Rule: an item leaves the journal only when its revoker succeeded or it expired anyway (only kinds whose expiry really
// ends them: a Vault lease; a PostgreSQL role or database past VALID UNTIL still exists and is dropped); a failure is
// retried with back-off (5 tries, 1 s to 1 h, 24 h at most) and then marked abandoned, reported, never claimed as done.
// Only a try the back-off called for counts: one made early (a start, a wipe) leaves the count and the next time as
// they were.

import type { Journal, JournalEntry } from "./journal.js";

export type Revoker = (entry: JournalEntry) => Promise<void>;

export interface RevokeReport {
  undone: number;
  /** entries dropped because what they name has expired on its own (a role past VALID UNTIL, a lease past its TTL) */
  expired: number;
  failed: string[];
}

/** the waits after the 1st, 2nd, 3rd and 4th failed try; the 5th failure abandons the entry */
export const RETRY_DELAYS_MS = [1_000, 30_000, 300_000, 3_600_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
export const RETRY_WINDOW_MS = 24 * 3_600_000;
/** one try of one revoker: a server that never answers must not hold a wipe or a start */
export const ATTEMPT_TIMEOUT_MS = 5_000;

export interface RevokerOptions {
  /**
   * what the entry names outlives its expiry (a database past its role's VALID UNTIL keeps its data): the revoker runs
   * past it too, with the same bounded retries, instead of the entry being dropped as expired
   */
  outlivesExpiry?: boolean;
}

export interface RevokersOptions {
  now?: () => number;
  attemptTimeoutMs?: number;
  /** told of each entry given up, so the daemon log names it */
  onAbandoned?: (entry: JournalEntry) => void;
}

export class Revokers {
  readonly #byKind = new Map<string, Revoker>();
  readonly #outliving = new Set<string>();
  readonly #now: () => number;
  readonly #attemptTimeoutMs: number;

  constructor(
    private readonly journal: Journal,
    private readonly options: RevokersOptions = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#attemptTimeoutMs = options.attemptTimeoutMs ?? ATTEMPT_TIMEOUT_MS;
  }

  register(kind: string, revoker: Revoker, options: RevokerOptions = {}): void {
    this.#byKind.set(kind, revoker);
    if (options.outlivesExpiry) this.#outliving.add(kind);
    else this.#outliving.delete(kind);
  }

  kinds(): string[] {
    return [...this.#byKind.keys()];
  }

  /** what is still to undo (sessions aside), abandoned entries included, for `status` and `doctor` */
  outstanding(): JournalEntry[] {
    return this.journal.pending().filter((entry) => entry.kind !== "session");
  }

  /**
   * one try now for every matching entry that is not abandoned (the wipe: now, whatever its back-off says), newest
   * first; failures are booked for the background retries
   */
  async revoke(match: (entry: JournalEntry) => boolean = () => true): Promise<RevokeReport> {
    return this.#run((entry) => match(entry));
  }

  /** one try for each entry whose back-off has passed: the background loop's step */
  async revokeDue(): Promise<RevokeReport> {
    const now = this.#now();
    return this.#run((entry) => isDue(entry, now));
  }

  /** when the next retry is due (ms since the epoch), or null when nothing waits */
  nextDueAt(): number | null {
    const times = this.outstanding()
      .filter((entry) => !entry.abandoned)
      .map((entry) => (entry.nextAt ? Date.parse(entry.nextAt) : this.#now()));
    return times.length > 0 ? Math.min(...times) : null;
  }

  async #run(match: (entry: JournalEntry) => boolean): Promise<RevokeReport> {
    const report: RevokeReport = { undone: 0, expired: 0, failed: [] };
    const entries = this.outstanding()
      .filter((entry) => !entry.abandoned && match(entry))
      .reverse();
    for (const entry of entries) {
      // read before the try, which may take the whole attempt timeout
      const due = isDue(entry, this.#now());
      if (entry.expiresAt && Date.parse(entry.expiresAt) <= this.#now() && !this.#outliving.has(entry.kind)) {
        // past its own expiry it can no longer be used: nothing left to undo
        this.journal.resolved(entry.id);
        report.expired++;
        continue;
      }
      const revoker = this.#byKind.get(entry.kind);
      try {
        if (!revoker) throw new Error("no revoker");
        await this.#attempt(revoker, entry);
        this.journal.resolved(entry.id);
        report.undone++;
      } catch {
        report.failed.push(`${entry.kind}:${entry.id}`);
        // a try before the back-off ran out (each daemon start makes one) is not one of the five: frequent restarts
        // must neither abandon an entry early nor shorten its back-off
        if (due) this.#bookFailure(entry);
      }
    }
    return report;
  }

  #attempt(revoker: Revoker, entry: JournalEntry): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timed out")), this.#attemptTimeoutMs);
    });
    return Promise.race([revoker(entry), timeout]).finally(() => clearTimeout(timer));
  }

  #bookFailure(entry: JournalEntry): void {
    const now = this.#now();
    const attempts = (entry.attempts ?? 0) + 1;
    const firstFailedAt = entry.firstFailedAt ?? new Date(now).toISOString();
    const delay = RETRY_DELAYS_MS[attempts - 1];
    const pastWindow = now - Date.parse(firstFailedAt) >= RETRY_WINDOW_MS;
    if (delay === undefined || pastWindow) {
      this.journal.update(entry.id, { attempts, firstFailedAt, abandoned: true });
      this.options.onAbandoned?.({ ...entry, attempts, abandoned: true });
      return;
    }
    this.journal.update(entry.id, { attempts, firstFailedAt, nextAt: new Date(now + delay).toISOString() });
  }
}

/** whether the back-off lets the entry's next counted try happen at `now` (never tried: yes) */
function isDue(entry: JournalEntry, now: number): boolean {
  return !entry.nextAt || Date.parse(entry.nextAt) <= now;
}

/** runs the due retries in the background, one timer at a time, never keeping the process alive */
export class RetryLoop {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;

  constructor(
    private readonly revokers: Revokers,
    private readonly report: (result: RevokeReport) => void,
  ) {}

  /**
   * the start's recovery: one try now for everything the last daemon left (its back-off was its own: a server back since
   * must not wait out a 30 s or 5 min delay booked before the restart); a failure of an entry not yet due is not
   * counted and keeps its booked time, so restarts neither use up its five tries nor reset its back-off; then one
   * whenever the next entry falls due
   */
  start(): Promise<void> {
    this.#stopped = false;
    return this.#step(true);
  }

  /** after a wipe booked failures: look again for the earliest due time */
  reschedule(): void {
    if (this.#stopped || this.#running) return;
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #step(all = false): Promise<void> {
    this.#running ??= (all ? this.revokers.revoke() : this.revokers.revokeDue())
      .then((result) => {
        if (result.undone || result.expired || result.failed.length) this.report(result);
      })
      .catch(() => {})
      .finally(() => {
        this.#running = null;
        this.#schedule();
      });
    return this.#running;
  }

  #schedule(): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const due = this.revokers.nextDueAt();
    if (due === null) return;
    this.#timer = setTimeout(() => void this.#step(), Math.max(0, due - Date.now()));
    this.#timer.unref();
  }
}
