// The daemon's event bus: what GET /v1/events, the dashboard and `devsecrets events` receive, as it happens.
// Rule: events carry names, codes and times, never values (the union is daemon/protocol/events.ts); a subscriber that
// throws never stops the others, and publishing with nobody listening costs one size check.

import { type DaemonEvent, eventBlock } from "./protocol/events.js";

export type { DaemonEvent } from "./protocol/events.js";

/** `block()` is the event as a server-sent-events block, serialized once however many streams write it */
type Listener = (event: DaemonEvent, time: string, block: () => string) => void;

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
    let serialized: string | null = null;
    const block = () => {
      serialized ??= eventBlock(event, time);
      return serialized;
    };
    for (const listener of [...this.#listeners]) {
      try {
        listener(event, time, block);
      } catch {
        // one broken subscriber must not stop the others
      }
    }
  }
}
