// The audit entry format and its hash chain, shared by the daemon (which appends) and `audit verify` (which reads).
// Rule: entries name references and actions, never values; the hash covers every field but `hash`.

import { hash as oneShotHash } from "node:crypto";

export type AuditAction =
  | "serve"
  | "mint"
  | "rotate"
  | "revoke"
  | "login"
  | "logout"
  | "wipe"
  | "set"
  | "unset"
  /** a project trusted (`devsecrets trust`) or its trust revoked: the root is in `detail` */
  | "trust"
  | "untrust"
  /** a sandbox service paused for an outage drill (`sandbox services pause`): the service in `reference` */
  | "pause"
  /** written by the daemon when, at its start, the trail no longer reached its head */
  | "break";

export interface AuditEvent {
  action: AuditAction;
  session: string;
  /** the reference or variable concerned; never a value */
  reference?: string;
  variable?: string;
  outcome: "ok" | "denied" | "error";
  /** the requesting process, as its client reported it, and its executable where /proc tells */
  pid?: number;
  exe?: string;
  detail?: Record<string, string | number | boolean>;
}

export interface AuditEntry extends AuditEvent {
  seq: number;
  time: string;
  prev: string;
  hash: string;
}

export const GENESIS = "0".repeat(64);

/** the hash of an entry covers every field but `hash`, in a fixed order (an array: no key sorting on the hot path) */
export function entryHash(entry: Omit<AuditEntry, "hash">): string {
  const canonical = JSON.stringify([
    entry.seq,
    entry.time,
    entry.prev,
    entry.action,
    entry.session,
    entry.reference ?? null,
    entry.variable ?? null,
    entry.outcome,
    entry.pid ?? null,
    entry.exe ?? null,
    entry.detail ?? null,
  ]);
  // the one-shot hash: no Hash object per entry (a resolve of 10 references appends 10 entries)
  return oneShotHash("sha256", canonical, "hex");
}
