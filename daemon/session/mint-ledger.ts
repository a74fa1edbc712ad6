// The ledger each serving session hands its mints: journals what a mint made that must be revoked (a PostgreSQL role).
// Rule: an entry names its session and that session's expiry (the default TTL for the anonymous one); it is
// journaled before the item exists.

import type { Journal } from "../leases/journal.js";
import type { ServingSession } from "./serving-session.js";
import { DEFAULT_TTL_SECONDS } from "./session-manager.js";

export interface MintLedgerDeps {
  journal: Journal;
  /** the daemon's environment, for the kinds' settings */
  env: NodeJS.ProcessEnv;
  /** the logged-in session's expiry (ISO) when `sessionId` is that session, else null; asked at mint time */
  expiresAt: (sessionId: string) => string | null;
}

/** equips every session that becomes current with its ledger (the SessionHolder's `prepare`) */
export function equipWithLedger(deps: MintLedgerDeps): (serving: ServingSession) => void {
  return (serving) => {
    serving.ledger = (projectRoot) => {
      const known = deps.expiresAt(serving.id);
      const expiresAt = known ? new Date(known) : new Date(Date.now() + DEFAULT_TTL_SECONDS * 1000);
      return {
        sessionId: serving.id,
        expiresAt,
        projectRoot,
        env: deps.env,
        // a mint still running when a login adopted this session is journaled under the adopting session
        record: (entry) =>
          deps.journal.record({
            ...entry,
            session: serving.adoptedBy ?? serving.id,
            expiresAt: expiresAt.toISOString(),
          }),
      };
    };
  };
}
