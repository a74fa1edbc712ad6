// Change notifications to subscribed shims: `rotate` (names of changed variables) and `wipe` (a reason).
// Rule: events carry names and reasons, never values; shims re-resolve.

export type DaemonEvent = { type: "rotate"; names: string[]; references: string[] } | { type: "wipe"; reason: string };

type Listener = (event: DaemonEvent) => void;

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
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // one broken subscriber must not stop the others
      }
    }
  }
}
