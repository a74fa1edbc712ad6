// sandbox://redis/server#url|host|port|password: a redis-server the daemon runs for the session on a loopback port,
// which enforces the minted password.
// Rule: host and port are not secrets (secret: false); the password and the URL that carries it are.

import { DevsecretsError } from "../../../common/errors.js";
import type { SandboxKind } from "../sandbox-kind.js";
import { multiField } from "../minted.js";

export const redisServer: SandboxKind = {
  kind: "redis/server",
  live: "service",
  summary: "a redis-server on 127.0.0.1 for the session (data in memory, gone at logout) that enforces this password",
  fields: ["url", "host", "port", "password"],
  options: {},
  async mint(_options, context) {
    const ledger = context.ledger;
    if (!context.services || !ledger) {
      throw new DevsecretsError(
        "DS_SANDBOX_OPTION",
        "sandbox kind redis/server starts a server and only the daemon can",
        {
          hint: "reference it from a project (sandbox://redis/server#url) and resolve it with `devsecrets run` or `env`",
        },
      );
    }
    const { host, port, values } = await context.services.start("redis", ledger.sessionId);
    const password = values.password as string;
    const url = `redis://default:${encodeURIComponent(password)}@${host}:${port}`;
    return multiField({ url, host, port: String(port), password }, ["host", "port"]);
  },
};
