// Publishes `expiring` once for each deadline that comes near: the session's end (5 minutes before) and the idle lock
// (1 minute before), so the dashboard and `devsecrets events` can warn before values stop being served.
// Rule: reads the session's times only; its timer never holds the daemon open and never counts as activity.

import type { EventBus } from "../events.js";
import type { SessionInfo } from "../protocol/messages.js";

export const SESSION_WARNING_SECONDS = 300;
export const IDLE_WARNING_SECONDS = 60;
const CHECK_EVERY_MS = 5_000;

export class ExpiryWarnings {
  readonly #warned = new Set<string>();
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly info: () => SessionInfo | null,
    private readonly events: EventBus,
  ) {}

  start(): void {
    this.#timer ??= setInterval(() => this.check(), CHECK_EVERY_MS).unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** publishes what has come within its warning time and was not yet told */
  check(now = Date.now()): void {
    const session = this.info();
    if (!session) {
      this.#warned.clear();
      return;
    }
    this.#warn("session", session.expiresAt, SESSION_WARNING_SECONDS, now);
    // the idle lock comes first only when it is before the end
    if (Date.parse(session.idleAt) < Date.parse(session.expiresAt))
      this.#warn("idle", session.idleAt, IDLE_WARNING_SECONDS, now);
  }

  #warn(what: "session" | "idle", at: string, within: number, now: number): void {
    const inSeconds = Math.round((Date.parse(at) - now) / 1000);
    const key = `${what} ${at}`;
    if (inSeconds > within || inSeconds < 0 || this.#warned.has(key)) return;
    this.#warned.add(key);
    // an idle deadline moves with every use: keep only the latest few keys
    if (this.#warned.size > 16) this.#warned.delete(this.#warned.values().next().value as string);
    this.events.publish({ type: "expiring", what, at, inSeconds });
  }
}
