// sandbox://redis/server#url|host|port|password: a redis-server the daemon runs for the session on a loopback port,
// which enforces the minted password.
// Rule: host and port are not secrets (secret: false); the password and the URL that carries it are.

import type { SandboxKind } from "../sandbox-kind.js";
import { daemonServices } from "./daemon-services.js";
import { multiField } from "../minted.js";

export const redisServer: SandboxKind = {
  kind: "redis/server",
  live: "service",
  summary: "a redis-server on 127.0.0.1 for the session (data in memory, gone at logout) that enforces this password",
  fields: ["url", "host", "port", "password"],
  options: {},
  async mint(_options, context) {
    const { services, ledger } = daemonServices(context, "redis/server", "sandbox://redis/server#url");
    const { host, port, values } = await services.start("redis", ledger.sessionId);
    const password = values.password as string;
    const url = `redis://default:${encodeURIComponent(password)}@${host}:${port}`;
    return multiField({ url, host, port: String(port), password }, ["host", "port"]);
  },
};
