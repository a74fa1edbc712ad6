// Where a logged-in session's record and the user's keychain:// values are kept: keychain, memory or file.
// Rule: a store holds values only as the OS keychain or ciphertext does; never plaintext on disk, never in logs.

import type { Secret } from "../../common/secret.js";

export type StoreKind = "keychain" | "memory" | "file";

/** what a daemon restart needs to resume a session; `credential` is the session's own secret */
export interface SessionRecord {
  id: string;
  createdAt: string;
  expiresAt: string;
  /** idle lock in seconds */
  idleSeconds: number;
  env: string;
  store: StoreKind;
  /** 32 random bytes, base64; keys the served-value hashes and resumes the session */
  credential: Secret;
  /** provider state that must survive a restart (e.g. the session's Vault token); values are Secrets */
  extra?: Record<string, Secret | string | number | boolean | null>;
}

export interface SessionStore {
  readonly kind: StoreKind;
  saveSession(record: SessionRecord): Promise<void>;
  loadSession(): Promise<SessionRecord | null>;
  /** idempotent */
  removeSession(): Promise<void>;
  /** keychain://NAME values, scoped by project id; null when not set */
  getValue(projectId: string, name: string): Promise<Secret | null>;
  setValue(projectId: string, name: string, value: Secret): Promise<void>;
  /** true when something was removed */
  removeValue(projectId: string, name: string): Promise<boolean>;
}
