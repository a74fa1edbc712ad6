// The revoker of journaled "postgres-role" entries, run by the wipe and, for a dead daemon's roles, at the next start.
// Rule: the journal entry holds the admin URL (no password) and the database; nothing else is needed.

import type { JournalEntry } from "../../leases/journal.js";
import { dropRole } from "./drop-role.js";

export async function revokePostgresRole(entry: JournalEntry): Promise<void> {
  const adminUrl = entry.data?.adminUrl;
  const db = entry.data?.db;
  if (!adminUrl || !db) throw new Error(`journal entry ${entry.id} has no adminUrl or db`);
  await dropRole(adminUrl, entry.id, db);
}
