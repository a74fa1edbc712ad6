// Tells of every wipe: one audit entry, one daemon log line and a `wipe` event to subscribed shims.
// Rule: counts, part names and the reason only; a failed audit append never stops the wipe from finishing.

import type { AuditLog } from "../audit/audit-log.js";
import type { EventBus } from "../events.js";
import type { Logger } from "../log.js";
import type { WipeRegistry } from "./wipe-registry.js";

export interface WipeWitnesses {
  audit: AuditLog;
  log: Logger;
  events: EventBus;
  /** the id of the session a wipe is about to end, read as the wipe starts */
  currentSession: () => string;
}

export function reportWipes(wipe: WipeRegistry, witnesses: WipeWitnesses): void {
  let ending = "";
  wipe.onWiping(() => {
    ending = witnesses.currentSession();
  });
  wipe.onWiped((report) => {
    try {
      witnesses.audit.append([
        {
          action: "wipe",
          session: ending,
          outcome: report.ok ? "ok" : "error",
          detail: { reason: report.reason, ...report.parts },
        },
      ]);
    } catch {
      // the wipe itself must finish; the daemon log below still records it
    }
    witnesses.log.info("wipe", {
      reason: report.reason,
      parts: report.parts,
      failed: Object.keys(report.failed),
      ok: report.ok,
      ms: report.durationMs,
    });
    witnesses.events.publish({ type: "wipe", reason: report.reason });
  });
}
