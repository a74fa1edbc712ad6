// sandbox://postgres/database#url|host|port|username|password|dbname: a throwaway PostgreSQL server the daemon runs
// for the session on a loopback port, whose login requires the minted password.
// Rule: host, port, username and dbname are not secrets (secret: false); the password and the URL are.

import { DevsecretsError } from "../../../common/errors.js";
import type { SandboxKind } from "../sandbox-kind.js";
import { multiField } from "../minted.js";

export const postgresDatabase: SandboxKind = {
  kind: "postgres/database",
  live: "service",
  summary: "a throwaway PostgreSQL server on 127.0.0.1 for the session (gone at logout) with a login it enforces",
  fields: ["url", "host", "port", "username", "password", "dbname"],
  options: {},
  async mint(_options, context) {
    const ledger = context.ledger;
    if (!context.services || !ledger) {
      throw new DevsecretsError(
        "DS_SANDBOX_OPTION",
        "sandbox kind postgres/database starts a server and only the daemon can",
        {
          hint: "reference it from a project (sandbox://postgres/database#url) and resolve it with `devsecrets run` or `env`",
        },
      );
    }
    const { host, port, values } = await context.services.start("postgres", ledger.sessionId);
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
