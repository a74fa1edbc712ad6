// On start: what the last daemon left behind is resumed (a stored session) or undone, the undoing in the background.
// Rule: everything journaled is revoked, resumed session or not (what a dead daemon handed out can no longer be
// tracked or renewed), by the retry loop: a server that never answers must not hold the start or the socket.

import type { Logger } from "../log.js";
import type { SessionManager } from "../session/session-manager.js";
import type { Journal } from "./journal.js";
import type { RetryLoop } from "./revokers.js";

export interface RecoveryParts {
  sessions: SessionManager;
  retries: RetryLoop;
  journal: Journal;
  log: Logger;
  /** told once the undo of what the last daemon left has run (whatever it could not undo stays journaled) */
  afterUndo?: () => void;
}

export async function recoverAtStart(parts: RecoveryParts): Promise<void> {
  const { resumed, removed } = await parts.sessions.resume();
  if (resumed || removed) parts.log.info("recovery", { resumed: resumed ?? null, removedSessions: removed });
  void parts.retries.start().then(() => {
    parts.journal.compact();
    parts.afterUndo?.();
  });
}
