// redis-server for sandbox://redis/server: no TCP port of its own (the daemon's proxy fronts it), a Unix socket in
// its private folder, nothing saved, and a minted password it enforces.
// Rule: the configuration (with the password) goes through redis-server's stdin ("redis-server -"), never a file or
// the command line (which /proc shows every user).

import { randomBytes } from "node:crypto";
import { createConnection } from "node:net";
import { join } from "node:path";
import { findServiceBinary, type ServiceProgram } from "./find-binary.js";
import type { ServiceLauncher } from "./service-manager.js";

export const REDIS_PROGRAM: ServiceProgram = {
  service: "redis",
  program: "redis-server",
  install: "apt-get install redis-server",
};

export const redisLauncher: ServiceLauncher = {
  service: "redis",
  kind: "redis/server",
  program: REDIS_PROGRAM,
  async prepare(dir, env) {
    const command = findServiceBinary(REDIS_PROGRAM, env);
    const socket = join(dir, "redis.sock");
    const password = randomBytes(24).toString("base64url");
    const config = [
      "port 0",
      `unixsocket ${socket}`,
      "unixsocketperm 700",
      `dir ${dir}`,
      'save ""',
      "appendonly no",
      "daemonize no",
      'logfile ""',
      // the default user takes this password only: a client without it gets NOAUTH, one with another WRONGPASS
      `requirepass ${password}`,
      "",
    ].join("\n");
    return { spawn: { command, args: ["-"], cwd: dir, stdin: config }, socket, values: { password } };
  },
  ready: (socket) => redisAnswers(socket),
};

/** whether a redis server answers PING on the socket (+PONG, or -NOAUTH when a password is required) */
export function redisAnswers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const connection = createConnection(socket);
    let reply = "";
    const done = (ok: boolean) => {
      connection.destroy();
      resolve(ok);
    };
    connection.setTimeout(1_000, () => done(false));
    connection.on("error", () => done(false));
    connection.on("connect", () => connection.write("PING\r\n"));
    connection.on("data", (chunk) => {
      reply += chunk.toString("latin1");
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG") || reply.startsWith("-NOAUTH"));
    });
  });
}
