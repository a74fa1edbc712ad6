// The revoker of journaled "postgres-role" entries, run by the wipe and, for a dead daemon's roles, at the next start.
// Rule: the journal entry holds the admin URL (no password) and the database; nothing else is needed.

import type { JournalEntry } from "../../leases/journal.js";
import { dropRole } from "./drop-role.js";

export async function revokePostgresRole(entry: JournalEntry): Promise<void> {
  const adminUrl = entry.data?.adminUrl ?? urlOfOrigin(entry.origin);
  const db = entry.data?.db ?? entry.origin?.db;
  if (!adminUrl || !db) throw new Error(`journal entry ${entry.id} has no adminUrl or db`);
  await dropRole(adminUrl, entry.id, db);
}

/** postgres://user@host:port/db from a journal v2 origin (no password: the admin connects as the user's own setup lets it) */
function urlOfOrigin(origin: JournalEntry["origin"]): string | undefined {
  if (!origin?.host || !origin.db) return undefined;
  const url = new URL("postgres://localhost");
  url.hostname = origin.host;
  if (origin.port) url.port = origin.port;
  if (origin.user) url.username = encodeURIComponent(origin.user);
  url.pathname = `/${encodeURIComponent(origin.db)}`;
  return url.href;
}
