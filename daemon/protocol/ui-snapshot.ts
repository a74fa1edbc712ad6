// What the dashboard's page receives at load (GET /api/snapshot on its loopback port); events then keep it current.
// Rule: names, references, schemes, counts, codes and times only: no served value, not even a masked prefix.

import type { AuditEventEntry } from "./events.js";

export interface UiVariable {
  name: string;
  /** literal, sandbox, vault, keychain, env, ... */
  scheme: string;
  /** the sandbox kind or the reference's path ("stripe/secret-key", "secret/app"); null for a literal */
  kind: string | null;
  /** the reference as written (never a literal's text) */
  reference: string | null;
  file: string;
  line: number;
  served: number;
  lastServedAt: string | null;
}

export interface UiProject {
  root: string;
  id: string | null;
  env: string;
  last: { at: string; ok: boolean; code?: string; message?: string; hint?: string };
  variables: UiVariable[];
  /** whether the project is trusted (daemon/trust), and why; null when it could not be told */
  trust: { trusted: boolean; reason: string } | null;
  /** the project's files could not be read again for the listing: the code (the variables served are still named) */
  listError?: string;
}

/** one thing the wipe will undo */
export interface UiHandedOut {
  /** "vault-lease", "postgres-role", "dev-ca", "jwks-port", "service", ... */
  kind: string;
  name: string;
  expiresAt: string | null;
}

export interface UiSnapshot {
  now: string;
  daemon: { version: string; pid: number; user: string; startedAt: string };
  session: {
    kind: "anonymous" | "login";
    id: string | null;
    store: string;
    env: string;
    createdAt: string | null;
    expiresAt: string | null;
    idleAt: string | null;
    counts: { valuesServed: number; sandboxTokens: number; leases: number };
  };
  vault: { address: string; namespace: string | null; offline: boolean; tokenExpiresAt: string | null } | null;
  projects: UiProject[];
  handedOut: UiHandedOut[];
  audit: {
    file: string;
    /** the trail's last entries, oldest first */
    tail: AuditEventEntry[];
    /** `audit verify`'s verdict, reached at `at` (recomputed at most every 10 s) */
    verify: { ok: boolean; entries: number; head: string | null; problem: string | null; at: string };
  };
  /** the header every action must carry (X-Devsecrets-CSRF) */
  csrf: string;
}

export interface UiTrustListing {
  root: string;
  digest: string;
  trusted: boolean;
  items: { kind: string; text: string; file: string; line: number }[];
}
