// The leases wired for the composition root: the journal in the state folder, the revokers and their retry loop (both
// logging what they give up or retry), the "revoked" wipe part, and the recovery at start.
// Rule: the wipe revokes the ending session's entries only; what fails is left to the loop with its back-off.

import { join } from "node:path";
import { stateDir } from "../../common/paths.js";
import type { Logger } from "../log.js";
import type { SessionManager } from "../session/session-manager.js";
import type { WipePart } from "../wipe/wipe-registry.js";
import { Journal } from "./journal.js";
import { recoverAtStart } from "./recover-at-start.js";
import { RetryLoop, Revokers } from "./revokers.js";

export interface LeasesWiringDeps {
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** the serving session's id: whose entries the wipe revokes */
  sessionId: () => string;
  /** told after the start's undo and after each retry that undid something (live sandbox values settle then) */
  afterUndo?: () => void;
}

export interface WiredLeases {
  journal: Journal;
  revokers: Revokers;
  /** revokes the ending session's journaled leases and roles one by one */
  wipePart: WipePart;
  /** on start: the stored session resumed, what the last daemon left revoked in the background */
  recover: (sessions: SessionManager) => Promise<void>;
}

export function wireLeases(deps: LeasesWiringDeps): WiredLeases {
  const { env, log } = deps;
  const journal = new Journal(join(stateDir(env), "journal.jsonl"));
  const revokers = new Revokers(journal, {
    onAbandoned: (entry) =>
      log.warn("revocation-abandoned", { kind: entry.kind, id: entry.id, attempts: entry.attempts ?? 0 }),
  });
  const retries = new RetryLoop(revokers, (report) => {
    log.info("revocation-retried", { revoked: report.undone, expired: report.expired, failed: report.failed });
    deps.afterUndo?.();
  });
  return {
    journal,
    revokers,
    wipePart: {
      name: "revoked",
      run: async () => {
        const session = deps.sessionId();
        const report = await revokers.revoke((entry) => entry.session === session);
        // what failed now is booked with its back-off: the loop takes it from there
        retries.reschedule();
        return report;
      },
    },
    recover: (sessions) =>
      recoverAtStart({ sessions, retries, journal, log, ...(deps.afterUndo ? { afterUndo: deps.afterUndo } : {}) }),
  };
}
