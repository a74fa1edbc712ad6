// The privileges each ?grant= of postgres/role gets in its database, as SQL with quoted identifiers only.
// Rule: no role ever gets SUPERUSER, CREATEROLE, CREATEDB or membership in a role that has one of them.

import type pg from "pg";

export const GRANTS = ["readonly", "readwrite", "owner"] as const;
export type Grant = (typeof GRANTS)[number];

const TABLE_PRIVILEGES: Record<Grant, string> = {
  readonly: "SELECT",
  readwrite: "SELECT, INSERT, UPDATE, DELETE",
  owner: "ALL",
};

/** on any connection of the server: the database-level part */
export function databaseGrant(client: pg.Client, grant: Grant, role: string, db: string): Promise<unknown> {
  const privileges = grant === "owner" ? "CONNECT, CREATE, TEMPORARY" : "CONNECT";
  return client.query(
    `GRANT ${privileges} ON DATABASE ${client.escapeIdentifier(db)} TO ${client.escapeIdentifier(role)}`,
  );
}

/** on a connection to the role's database: schema public, its tables, sequences and (owner) functions */
export async function schemaGrants(client: pg.Client, grant: Grant, role: string): Promise<void> {
  const r = client.escapeIdentifier(role);
  const tables = TABLE_PRIVILEGES[grant];
  const statements = [
    `GRANT ${grant === "owner" ? "USAGE, CREATE" : "USAGE"} ON SCHEMA public TO ${r}`,
    `GRANT ${tables} ON ALL TABLES IN SCHEMA public TO ${r}`,
  ];
  if (grant !== "readonly")
    statements.push(`GRANT ${grant === "owner" ? "ALL" : "USAGE, SELECT"} ON ALL SEQUENCES IN SCHEMA public TO ${r}`);
  if (grant === "owner") statements.push(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${r}`);
  await client.query("BEGIN");
  try {
    for (const sql of statements) await client.query(sql);
    await defaultPrivileges(client, grant, r);
    if (grant === "owner") await ownerMembership(client, role);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

/**
 * future tables made by the admin and by the database owner get the same privileges; where the admin may not
 * alter another role's defaults, that part is skipped (a savepoint keeps the transaction alive)
 */
async function defaultPrivileges(client: pg.Client, grant: Grant, r: string): Promise<void> {
  const owner = await databaseOwner(client);
  const creators = ["CURRENT_USER", ...(owner.name ? [client.escapeIdentifier(owner.name)] : [])];
  for (const creator of creators) {
    const forRole = `ALTER DEFAULT PRIVILEGES FOR ROLE ${creator} IN SCHEMA public`;
    const statements = [`${forRole} GRANT ${TABLE_PRIVILEGES[grant]} ON TABLES TO ${r}`];
    if (grant !== "readonly")
      statements.push(`${forRole} GRANT ${grant === "owner" ? "ALL" : "USAGE, SELECT"} ON SEQUENCES TO ${r}`);
    await client.query("SAVEPOINT defaults");
    try {
      for (const sql of statements) await client.query(sql);
      await client.query("RELEASE SAVEPOINT defaults");
    } catch {
      await client.query("ROLLBACK TO SAVEPOINT defaults");
    }
  }
}

/**
 * owner acts as the database's owner only when that owner is a plain role: membership in a superuser (or a role
 * that may create roles or databases) would hand all of that out through SET ROLE
 */
async function ownerMembership(client: pg.Client, role: string): Promise<void> {
  const owner = await databaseOwner(client);
  if (!owner.name || !owner.plain || owner.name === role) return;
  await client.query(`GRANT ${client.escapeIdentifier(owner.name)} TO ${client.escapeIdentifier(role)}`);
}

async function databaseOwner(client: pg.Client): Promise<{ name: string | null; plain: boolean }> {
  const result = await client.query<{ name: string; plain: boolean }>(
    `SELECT r.rolname AS name,
            NOT (r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls) AS plain
       FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba
      WHERE d.datname = current_database()`,
  );
  const row = result.rows[0];
  return row ? { name: row.name, plain: row.plain } : { name: null, plain: false };
}
