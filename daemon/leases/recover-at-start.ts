// On start, before the socket is bound: what the last daemon left behind is resumed (a stored session) or revoked.
// Rule: everything journaled is revoked, resumed session or not: what a dead daemon handed out can no longer be
// tracked or renewed.

import type { Logger } from "../log.js";
import type { SessionManager } from "../session/session-manager.js";
import type { Journal } from "./journal.js";
import type { Revokers } from "./revokers.js";

export interface RecoveryParts {
  sessions: SessionManager;
  revokers: Revokers;
  journal: Journal;
  log: Logger;
}

export async function recoverAtStart(parts: RecoveryParts): Promise<void> {
  const { resumed, removed } = await parts.sessions.resume();
  const orphans = await parts.revokers.revoke();
  if (resumed || removed || orphans.undone || orphans.failed.length) {
    parts.log.info("recovery", {
      resumed: resumed ?? null,
      removedSessions: removed,
      revoked: orphans.undone,
      failed: orphans.failed,
    });
  }
  parts.journal.compact();
}
