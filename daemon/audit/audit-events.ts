// Turns appends to the audit trail into `audit` events, while anyone listens: what was appended within 100 ms goes
// out as one event, after the answers that caused it, so a resolve never waits on the streams that watch it and a
// burst of resolves wakes each watcher ten times a second at most (bench/dashboard.bench.ts measured why).
// Rule: entries as the trail holds them, never more; nothing is built while nobody listens.

import type { EventBus } from "../events.js";
import type { AuditEventEntry } from "../protocol/events.js";
import type { AuditLog } from "./audit-log.js";

export const AUDIT_EVENT_EVERY_MS = 100;

export function publishAuditEvents(audit: AuditLog, events: EventBus): void {
  let pending: AuditEventEntry[] = [];
  audit.observer = {
    listening: () => events.subscribers > 0,
    appended(entries) {
      if (pending.length === 0) setTimeout(flush, AUDIT_EVENT_EVERY_MS).unref();
      pending.push(...entries);
    },
  };
  function flush(): void {
    const entries = pending;
    pending = [];
    events.publish({ type: "audit", entries });
  }
}
