// Creating one ephemeral login role: CREATE ROLE with a password and VALID UNTIL, then the grants of its database.
// Rule: the caller journals the role before this runs; a half-made role is dropped here or by its revoker.

import type pg from "pg";
import { DevsecretsError } from "../../../common/errors.js";
import { withAdminClient, describe, reason } from "./admin-client.js";
import { withDatabase } from "./admin-url.js";
import { databaseGrant, schemaGrants, type Grant } from "./role-grants.js";
import { dropRole } from "./drop-role.js";

export interface NewRole {
  adminUrl: string;
  db: string;
  grant: Grant;
  role: string;
  password: string;
  validUntil: Date;
}

/** one role at a time per server: concurrent GRANTs on one database fail with "tuple concurrently updated" */
const queues = new Map<string, Promise<unknown>>();

export function createRole(spec: NewRole): Promise<void> {
  const previous = queues.get(spec.adminUrl) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(() => createRoleNow(spec));
  queues.set(spec.adminUrl, next);
  void next
    .catch(() => {})
    .finally(() => {
      if (queues.get(spec.adminUrl) === next) queues.delete(spec.adminUrl);
    });
  return next;
}

async function createRoleNow(spec: NewRole): Promise<void> {
  let created = false;
  try {
    await withAdminClient(spec.adminUrl, async (admin) => {
      if (!(await databaseExists(admin, spec.db))) {
        throw new DevsecretsError(
          "DS_SANDBOX_OPTION",
          `option "db" of sandbox kind postgres/role: database "${spec.db}" does not exist on ${describe(spec.adminUrl)}`,
          {
            hint: `create it (createdb ${spec.db}) or name an existing database with ?db=`,
          },
        );
      }
      await admin.query(
        `CREATE ROLE ${admin.escapeIdentifier(spec.role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT ` +
          `PASSWORD ${admin.escapeLiteral(spec.password)} VALID UNTIL ${admin.escapeLiteral(spec.validUntil.toISOString())}`,
      );
      created = true;
      await databaseGrant(admin, spec.grant, spec.role, spec.db);
    });
    await withAdminClient(withDatabase(spec.adminUrl, spec.db), (client) =>
      schemaGrants(client, spec.grant, spec.role),
    );
  } catch (error) {
    // never hand out, or leave behind, a role with half its grants; if this drop fails the journal still names it
    if (created) await dropRole(spec.adminUrl, spec.role, spec.db).catch(() => {});
    if (error instanceof DevsecretsError) throw error;
    throw new DevsecretsError(
      "DS_SANDBOX_OPTION",
      `could not create a role on ${describe(spec.adminUrl)}: ${reason(error)}`,
      {
        hint: "the admin user needs CREATEROLE (or superuser) and the right to grant on the database",
        cause: error,
      },
    );
  }
}

async function databaseExists(client: pg.Client, db: string): Promise<boolean> {
  const result = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [db]);
  return result.rowCount === 1;
}
