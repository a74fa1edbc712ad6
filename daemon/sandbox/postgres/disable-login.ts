// A rotation's end for postgres/role: the old role may no longer log in (NOLOGIN), as a real server refuses a revoked
// login; the role itself stays until the wipe drops it (or its server goes), so what it owns is kept until then.
// Rule: idempotent (a role that is gone is done); the admin URL may hold the throwaway superuser's password: memory only.

import { withAdminClient } from "./admin-client.js";

export async function disableLogin(adminUrl: string, role: string): Promise<void> {
  await withAdminClient(adminUrl, async (admin) => {
    if ((await admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).rowCount !== 1) return;
    await admin.query(`ALTER ROLE ${admin.escapeIdentifier(role)} NOLOGIN`);
  });
}
