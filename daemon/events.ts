// The daemon's event bus: what GET /v1/events, the dashboard and `devsecrets events` receive, as it happens.
// Rule: events carry names, codes and times, never values (the union is daemon/protocol/events.ts); a subscriber that
// throws never stops the others, and publishing with nobody listening costs one size check.

import type { DaemonEvent } from "./protocol/events.js";

export type { DaemonEvent } from "./protocol/events.js";

type Listener = (event: DaemonEvent, time: string) => void;

export class EventBus {
  readonly #listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get subscribers(): number {
    return this.#listeners.size;
  }

  publish(event: DaemonEvent): void {
    if (this.#listeners.size === 0) return;
    const time = new Date().toISOString();
    for (const listener of [...this.#listeners]) {
      try {
        listener(event, time);
      } catch {
        // one broken subscriber must not stop the others
      }
    }
  }
}
