// sandbox://postgres/database#url|host|port|username|password|dbname: a throwaway PostgreSQL server the daemon runs
// for the session on a loopback port, whose login requires the minted password.
// Rule: host, port, username and dbname are not secrets (secret: false); the password and the URL are.

import { randomBytes } from "node:crypto";
import { multiField } from "../minted.js";
import type { MintLedger, Minted, SandboxKind } from "../sandbox-kind.js";
import { adminUrlConfigured, findAdminUrl } from "../postgres/admin-url.js";
import { createOwnedDatabase } from "../postgres/owned-database.js";
import { daemonServices } from "./daemon-services.js";

export const POSTGRES_DATABASE_KIND = "postgres-database";

/** with an admin URL configured: a database ds_<id> owned by a new role ds_<id> on that server, journaled first */
async function onAdminServer(ledger: MintLedger): Promise<Minted> {
  const admin = new URL(findAdminUrl(ledger).url);
  const name = `ds_${ledger.sessionId.replace(/-/g, "").slice(0, 8).toLowerCase()}_${randomBytes(4).toString("hex")}`;
  const password = randomBytes(24).toString("base64url");
  ledger.record({
    id: name,
    kind: POSTGRES_DATABASE_KIND,
    data: { adminUrl: admin.href, db: name },
    origin: {
      host: admin.hostname || "localhost",
      port: admin.port || "5432",
      user: decodeURIComponent(admin.username),
      db: name,
    },
  });
  await createOwnedDatabase({ adminUrl: admin.href, name, password, validUntil: ledger.expiresAt });
  const host = admin.hostname || "localhost";
  const port = admin.port || "5432";
  const url = `postgres://${name}:${encodeURIComponent(password)}@${admin.host || "localhost"}/${name}`;
  return multiField({ url, host, port, username: name, password, dbname: name }, [
    "host",
    "port",
    "username",
    "dbname",
  ]);
}

export const postgresDatabase: SandboxKind = {
  kind: "postgres/database",
  live: "service",
  summary: "a throwaway PostgreSQL server on 127.0.0.1 for the session (gone at logout) with a login it enforces",
  fields: ["url", "host", "port", "username", "password", "dbname"],
  options: {},
  async mint(_options, context) {
    const { services, ledger } = daemonServices(context, "postgres/database", "sandbox://postgres/database#url");
    if (adminUrlConfigured(ledger)) return onAdminServer(ledger);
    const { host, port, values } = await services.start("postgres", ledger.sessionId);
    const username = values.username as string;
    const password = values.password as string;
    const dbname = values.dbname as string;
    const url = `postgres://${username}:${encodeURIComponent(password)}@${host}:${port}/${dbname}`;
    return multiField({ url, host, port: String(port), username, password, dbname }, [
      "host",
      "port",
      "username",
      "dbname",
    ]);
  },
};
