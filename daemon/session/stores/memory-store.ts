// Session store that lives only in daemon memory: the session and its keychain:// values end with the daemon.
// Rule: never writes anywhere; removeSession drops the record.

import type { Secret } from "../../../common/secret.js";
import type { SessionRecord, SessionStore } from "../session-store.js";
import { valueAccount as valueKey } from "./keychain-names.js";

export class MemoryStore implements SessionStore {
  readonly kind = "memory" as const;
  #session: SessionRecord | null = null;
  readonly #values = new Map<string, Secret>();

  async saveSession(record: SessionRecord): Promise<void> {
    this.#session = { ...record, ...(record.extra ? { extra: { ...record.extra } } : {}) };
  }

  async loadSession(): Promise<SessionRecord | null> {
    const s = this.#session;
    return s === null ? null : { ...s, ...(s.extra ? { extra: { ...s.extra } } : {}) };
  }

  async removeSession(): Promise<void> {
    this.#session = null;
  }

  async getValue(projectId: string, name: string): Promise<Secret | null> {
    return this.#values.get(valueKey(projectId, name)) ?? null;
  }

  async setValue(projectId: string, name: string, value: Secret): Promise<void> {
    this.#values.set(valueKey(projectId, name), value);
  }

  async removeValue(projectId: string, name: string): Promise<boolean> {
    return this.#values.delete(valueKey(projectId, name));
  }
}
