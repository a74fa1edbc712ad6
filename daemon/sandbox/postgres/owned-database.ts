// sandbox://postgres/database on a configured admin server: a database ds_<id> owned by a new login role ds_<id>,
// both dropped at the wipe (or, after a crash, by the next start's revoker).
// Rule: the caller journals the pair before this runs; a half-made pair is dropped here.

import { withAdminClient } from "./admin-client.js";

export interface OwnedDatabase {
  adminUrl: string;
  /** the role's and the database's name */
  name: string;
  password: string;
  validUntil: Date;
}

export async function createOwnedDatabase(spec: OwnedDatabase): Promise<void> {
  try {
    await withAdminClient(spec.adminUrl, async (admin) => {
      const name = admin.escapeIdentifier(spec.name);
      await admin.query(
        `CREATE ROLE ${name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS ` +
          `PASSWORD ${admin.escapeLiteral(spec.password)} VALID UNTIL ${admin.escapeLiteral(spec.validUntil.toISOString())}`,
      );
      // the admin must be able to act as the role to make it the owner (a superuser can; else it needs membership)
      await admin.query(`GRANT ${name} TO CURRENT_USER`).catch(() => {});
      await admin.query(`CREATE DATABASE ${name} OWNER ${name}`);
    });
  } catch (error) {
    await dropOwnedDatabase(spec.adminUrl, spec.name).catch(() => {});
    throw error;
  }
}

/** idempotent: a database or role that is gone is done; open sessions are ended first (WITH (FORCE)) */
export async function dropOwnedDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdminClient(adminUrl, async (admin) => {
    const quoted = admin.escapeIdentifier(name);
    await admin.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${quoted}`);
  });
}
