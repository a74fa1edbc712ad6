// Per-session sandbox key material (JWT signing keys, the dev CA), created on first use.
// Rule: destroy() runs every registered destroy (zero buffers, remove files) and forgets the material.

import type { SandboxSession } from "./sandbox-kind.js";

interface Entry {
  value: unknown;
  destroy?: (value: unknown) => void | Promise<void>;
}

export class MemorySandboxSession implements SandboxSession {
  #entries = new Map<string, Entry>();

  getOrCreate<T>(key: string, create: () => T, destroy?: (value: T) => void | Promise<void>): T {
    const existing = this.#entries.get(key);
    if (existing) return existing.value as T;
    const value = create();
    this.#entries.set(key, { value, destroy: destroy as Entry["destroy"] });
    return value;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** returns how many pieces of material were destroyed */
  async destroy(): Promise<number> {
    const entries = [...this.#entries.values()];
    this.#entries = new Map();
    // a failing destroy must not leave the rest of the material alive: run all, then report
    const failures: unknown[] = [];
    for (const entry of entries) {
      try {
        if (Buffer.isBuffer(entry.value)) entry.value.fill(0);
        await entry.destroy?.(entry.value);
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0)
      throw new AggregateError(failures, `${failures.length} of ${entries.length} sandbox destroys failed`);
    return entries.length;
  }
}
