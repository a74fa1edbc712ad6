// Watches KV v2 paths a session read for new versions, only while someone listens for events, and reports a change.
// Rule: polls metadata (versions, never values) every DEVSECRETS_POLL_MS (default 30 s); silent when nobody subscribes.

import { readInteger } from "../../../common/environment.js";
import { sayIgnored } from "../../../common/environment-dialect.js";
import type { EventBus } from "../../events.js";
import type { Logger } from "../../log.js";
import { currentVersion } from "./kv-read.js";
import type { VaultSession } from "./vault-session.js";

export const DEFAULT_POLL_MS = 30_000;

interface Watched {
  metadataPath: string;
  version: number;
  changed: () => void;
}

export function pollInterval(env: Readonly<Record<string, string | undefined>>): number {
  // DEVSECRETS_VAULT_POLL_MS is 0.1.0's name; the stores share the interval now (DESIGN, Platform stores)
  const ms =
    readInteger(env, "DEVSECRETS_POLL_MS", sayIgnored) ??
    readInteger(env, "DEVSECRETS_VAULT_POLL_MS", sayIgnored) ??
    Number.NaN;
  return Number.isInteger(ms) && ms >= 100 ? ms : DEFAULT_POLL_MS;
}

export class KvWatcher {
  readonly #watched = new Map<string, Watched>();
  #timer: NodeJS.Timeout | null = null;
  #polling = false;

  constructor(
    private readonly session: VaultSession,
    private readonly events: EventBus,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {
    session.onStop(() => this.stop());
  }

  /** `identity` is the value's memo identity; a second watch of it keeps the first */
  watch(identity: string, metadataPath: string, version: number, changed: () => void): void {
    if (this.session.stopped || this.#watched.has(identity)) return;
    this.#watched.set(identity, { metadataPath, version, changed });
    if (!this.#timer) {
      this.#timer = setInterval(() => void this.#poll(), this.intervalMs);
      this.#timer.unref();
    }
  }

  forget(identity: string): void {
    this.#watched.delete(identity);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#watched.clear();
  }

  async #poll(): Promise<void> {
    if (this.#polling || this.events.subscribers === 0 || this.session.stopped) return;
    this.#polling = true;
    try {
      // one metadata read per path, however many references share it
      const versions = new Map<string, Promise<number | null>>();
      for (const [identity, watched] of [...this.#watched]) {
        let pending = versions.get(watched.metadataPath);
        if (!pending) {
          pending = currentVersion(this.session, watched.metadataPath).catch(() => null);
          versions.set(watched.metadataPath, pending);
        }
        const version = await pending;
        if (version !== null && version !== watched.version && this.#watched.get(identity) === watched) {
          this.#watched.delete(identity);
          this.log.info("vault-kv-rotated", {
            session: this.session.id,
            path: watched.metadataPath,
            from: watched.version,
            to: version,
          });
          watched.changed();
        }
      }
    } finally {
      this.#polling = false;
    }
  }
}
