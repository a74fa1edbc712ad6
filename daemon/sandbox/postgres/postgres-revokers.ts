// The revokers of what the sandbox leaves on a configured PostgreSQL admin server, for the core to register.
// Rule: a role or database past its VALID UNTIL still exists on the admin server (with what it owns): dropped all the same.

import type { Revoker, RevokerOptions } from "../../leases/revokers.js";
import { POSTGRES_DATABASE_KIND } from "../kinds/postgres-database.js";
import { POSTGRES_ROLE_KIND } from "../kinds/postgres-role.js";
import { dropOwnedDatabase } from "./owned-database.js";
import { revokePostgresRole } from "./revoke-postgres-role.js";

/** [journal kind, revoker, options] of a postgres/role's role */
export const postgresRoleRevoker: [kind: string, revoker: Revoker, options: RevokerOptions] = [
  POSTGRES_ROLE_KIND,
  revokePostgresRole,
  { outlivesExpiry: true },
];

/** [journal kind, revoker, options] of a postgres/database's database and its owner role */
export const postgresDatabaseRevoker: [kind: string, revoker: Revoker, options: RevokerOptions] = [
  POSTGRES_DATABASE_KIND,
  (entry) => dropOwnedDatabase(entry.data?.adminUrl ?? "", entry.data?.db ?? entry.id),
  { outlivesExpiry: true },
];
