// Dropping an ephemeral role: no new logins, its sessions ended, what it owns reassigned to the admin, then DROP ROLE.
// Rule: idempotent (a role that is gone is done); any other failure is thrown, never swallowed.

import type pg from "pg";
import { withAdminClient } from "./admin-client.js";
import { withDatabase } from "./admin-url.js";

export async function dropRole(adminUrl: string, role: string, db: string): Promise<void> {
  const exists = await withAdminClient(adminUrl, async (admin) => {
    if (!(await roleExists(admin, role))) return false;
    const r = admin.escapeIdentifier(role);
    await admin.query(`ALTER ROLE ${r} NOLOGIN`);
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", [role]);
    return true;
  });
  if (!exists) return;
  // objects and privileges live per database: the role's own database first (tables an owner role made are kept,
  // now the admin's), then the admin's database for the database-level grants
  const dbExists = await withAdminClient(
    adminUrl,
    async (admin) => (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [db])).rowCount === 1,
  );
  if (dbExists) await withAdminClient(withDatabase(adminUrl, db), (client) => disown(client, role));
  await withAdminClient(adminUrl, async (admin) => {
    await disown(admin, role);
    await admin.query(`DROP ROLE IF EXISTS ${admin.escapeIdentifier(role)}`);
  });
}

async function disown(client: pg.Client, role: string): Promise<void> {
  if (!(await roleExists(client, role))) return;
  const r = client.escapeIdentifier(role);
  await client.query(`REASSIGN OWNED BY ${r} TO CURRENT_USER`);
  await client.query(`DROP OWNED BY ${r}`);
}

async function roleExists(client: pg.Client, role: string): Promise<boolean> {
  return (await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).rowCount === 1;
}
