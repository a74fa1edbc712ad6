// Registers the held live values (fingerprints of sandbox passwords) once nothing that made them live remains: no
// sandbox service process, no role or database on an admin server left in the journal.
// Rule: while any such entry is pending (running, or its undo failed and waits for a retry) nothing is settled: a value
// its server may still enforce is never called harmless. Called after each wipe and after each undo of the journal.

import { settleLive } from "../../common/minted-registry.js";
import type { Journal } from "../leases/journal.js";
import { POSTGRES_DATABASE_KIND } from "./kinds/postgres-database.js";
import { POSTGRES_ROLE_KIND } from "./kinds/postgres-role.js";
import { SERVICE_JOURNAL_KIND } from "./services/service-manager.js";

/** the journal kinds under which a live sandbox value can still work */
const LIVE_JOURNAL_KINDS: ReadonlySet<string> = new Set([
  SERVICE_JOURNAL_KIND,
  POSTGRES_ROLE_KIND,
  POSTGRES_DATABASE_KIND,
]);

/** moves the held fingerprints into the registry when the journal holds nothing live; how many moved */
export function settleLiveValues(journal: Pick<Journal, "pending">, registryPath: string): number {
  if (journal.pending().some((entry) => LIVE_JOURNAL_KINDS.has(entry.kind))) return 0;
  return settleLive(registryPath);
}
