// redis-server for sandbox://redis/server: no TCP port of its own (the daemon's proxy fronts it), a Unix socket in
// its private folder, nothing saved, and a minted password it enforces.
// Rule: the configuration (with the password) goes through redis-server's stdin ("redis-server -"), never a file or
// the command line (which /proc shows every user).

import { randomBytes } from "node:crypto";
import { createConnection } from "node:net";
import { join } from "node:path";
import { findServiceBinary, type ServiceProgram } from "./find-binary.js";
import type { ServiceLauncher } from "./service-manager.js";
import { answersOnSocket } from "./socket-probe.js";

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
  // a restart after a rotation comes back with the password handed out last, not the first one
  respawn: (spawn, values) => ({
    ...spawn,
    stdin: (spawn.stdin ?? "").replace(/^requirepass .*$/m, `requirepass ${values.password}`),
  }),
};

/** whether a redis server answers PING on the socket (+PONG, or -NOAUTH when a password is required) */
export function redisAnswers(socket: string): Promise<boolean> {
  return answersOnSocket(socket, "PING\r\n", (reply) => reply.startsWith("+PONG") || reply.startsWith("-NOAUTH"));
}

/** sends inline commands on the private socket and resolves with each reply's first line */
export function redisCommands(socket: string, commands: readonly string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const connection = createConnection(socket);
    let text = "";
    connection.setTimeout(5_000, () => {
      connection.destroy();
      reject(new Error("redis did not answer"));
    });
    connection.on("error", reject);
    connection.on("connect", () => connection.write(commands.map((c) => `${c}\r\n`).join("")));
    connection.on("data", (chunk) => {
      text += chunk.toString("latin1");
      const lines = text.split("\r\n").slice(0, -1);
      if (lines.length >= commands.length) {
        connection.destroy();
        resolve(lines.slice(0, commands.length));
      }
    });
  });
}

/**
 * a rotation: the default user takes a new password beside the old one (Redis ACLs hold several), and the old one
 * goes after the grace, so a client that kept it is refused with WRONGPASS as a real server would refuse it
 */
export async function rotateRedisPassword(socket: string, oldPassword: string, graceSeconds: number): Promise<string> {
  const password = randomBytes(24).toString("base64url");
  const replies = await redisCommands(socket, [`AUTH default ${oldPassword}`, `ACL SETUSER default on >${password}`]);
  if (replies.some((reply) => !reply.startsWith("+OK"))) throw new Error("redis refused the new password");
  const retire = () =>
    redisCommands(socket, [`AUTH default ${password}`, `ACL SETUSER default <${oldPassword}`]).catch(() => []);
  if (graceSeconds <= 0) await retire();
  else setTimeout(() => void retire(), graceSeconds * 1000).unref();
  return password;
}
