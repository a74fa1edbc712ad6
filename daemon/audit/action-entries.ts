// The audit entries of the core's actions: serve, mint, login, logout, set and unset, one builder each.
// Rule: references, variable names, ids and outcomes only; no builder takes a value.

import type { AuditEvent } from "../../common/audit-entry.js";
import type { KeychainChange, LoginResponse } from "../protocol/messages.js";
import type { ServedVariable } from "../resolve/resolver.js";
import type { Caller } from "./caller.js";

/** one entry per value that leaves the daemon; literals are config, not secrets */
export function serveEntries(served: readonly ServedVariable[], session: string, caller: Caller): AuditEvent[] {
  return served
    .filter((v) => v.reference !== null)
    .map((v) => ({
      action: "serve" as const,
      session,
      variable: v.name,
      reference: v.reference as string,
      outcome: "ok" as const,
      ...caller,
    }));
}

export function mintEntry(session: string, reference: string, caller: Caller): AuditEvent {
  return { action: "mint", session, reference, outcome: "ok", ...caller };
}

export function loginEntry(answer: LoginResponse, caller: Caller): AuditEvent {
  return {
    action: "login",
    session: answer.session.id,
    outcome: "ok",
    detail: { store: answer.session.store, env: answer.session.env, extended: answer.extended },
    ...caller,
  };
}

export function logoutEntry(session: string, caller: Caller): AuditEvent {
  return { action: "logout", session, outcome: "ok", ...caller };
}

/** a trust decision: the project's real root, and the digest trusted (a revoke has none) */
export function trustEntry(
  action: "trust" | "untrust",
  session: string,
  root: string,
  digest: string | null,
  caller: Caller,
): AuditEvent {
  return { action, session, outcome: "ok", detail: { root, ...(digest ? { digest } : {}) }, ...caller };
}

export function keychainEntry(
  action: "set" | "unset",
  session: string,
  change: KeychainChange,
  caller: Caller,
): AuditEvent {
  return {
    action,
    session,
    reference: `keychain://${change.name}`,
    outcome: "ok",
    detail: { changed: change.changed },
    ...caller,
  };
}

/** the outage drill: which service was paused, and for how long */
export function pauseEntry(session: string, service: string, seconds: number, caller: Caller): AuditEvent {
  return { action: "pause", session, reference: service, outcome: "ok", detail: { seconds }, ...caller };
}
