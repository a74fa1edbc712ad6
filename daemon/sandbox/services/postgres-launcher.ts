// A throwaway PostgreSQL server for sandbox://postgres/database: initdb in the service's folder, `postgres` with no
// TCP listener (the daemon's proxy fronts its Unix socket), and a minted login that the server requires.
// Rule: under root it runs as Debian's `postgres` account (PostgreSQL refuses root); the password never touches a
// file or a command line: the cluster starts with local trust on a socket only the daemon can reach, the password is
// set over it, and pg_hba.conf then requires scram-sha-256 before the proxy opens.

import { randomBytes } from "node:crypto";
import { chownSync, mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { findServiceBinary, type ServiceProgram } from "./find-binary.js";
import type { ServiceLauncher } from "./service-manager.js";
import { runOnce } from "./service-process.js";

export const POSTGRES_PROGRAM: ServiceProgram = {
  service: "postgres",
  program: "postgres",
  install: "apt-get install postgresql",
  postgresLib: true,
};

/** the port only names the socket file (.s.PGSQL.5432): the server opens no TCP port */
export const SOCKET_PORT = "5432";
export const SANDBOX_DBNAME = "app";

/** the account the server runs as: this process's own, or Debian's `postgres` under root */
function runAs(): { user?: string; uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(execFileSync("/usr/bin/id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("/usr/bin/id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { user: "postgres", uid, gid };
}

async function connect(socketDir: string, user: string, password?: string) {
  const { default: driver } = await import("pg");
  const client = new driver.Client({
    host: socketDir,
    port: Number(SOCKET_PORT),
    user,
    database: "postgres",
    ...(password === undefined ? {} : { password }),
    connectionTimeoutMillis: 2_000,
  });
  client.on("error", () => {});
  await client.connect();
  return client;
}

export const postgresLauncher: ServiceLauncher = {
  service: "postgres",
  kind: "postgres/database",
  program: POSTGRES_PROGRAM,
  stopSignal: "SIGINT",
  async prepare(dir, env) {
    const postgres = realpathSync(findServiceBinary(POSTGRES_PROGRAM, env));
    const initdb = join(dirname(postgres), "initdb");
    const account = runAs();
    if (account.uid !== undefined && account.gid !== undefined) chownSync(dir, account.uid, account.gid);
    const data = join(dir, "data");
    const username = `ds_${randomBytes(4).toString("hex")}`;
    const password = randomBytes(24).toString("base64url");
    const base = {
      cwd: dir,
      ...(account.user ? { user: account.user } : {}),
      env: { PATH: "/usr/bin:/bin", LANG: "C.UTF-8" },
    };
    await runOnce(
      {
        ...base,
        command: initdb,
        args: [
          "-D",
          data,
          "-U",
          username,
          "--auth-local=trust",
          "--auth-host=reject",
          "-E",
          "UTF8",
          "--no-sync",
          "--no-instructions",
        ],
      },
      "postgres",
    );
    mkdirSync(data, { recursive: true });
    return {
      spawn: {
        ...base,
        command: postgres,
        args: [
          "-D",
          data,
          "-k",
          dir,
          "-p",
          SOCKET_PORT,
          "-c",
          "listen_addresses=",
          "-c",
          "unix_socket_permissions=0700",
          // a throwaway server: durability buys nothing and costs start time
          "-c",
          "fsync=off",
          "-c",
          "full_page_writes=off",
          "-c",
          "synchronous_commit=off",
        ],
      },
      socket: join(dir, `.s.PGSQL.${SOCKET_PORT}`),
      values: { username, password, dbname: SANDBOX_DBNAME },
    };
  },
  async ready(socket, values) {
    const client = await connect(dirname(socket), values.username as string);
    await client.end();
    return true;
  },
  async afterReady(socket, values, dir, _child, restarted) {
    // a restarted server keeps its cluster: the password is set and pg_hba.conf already requires it
    if (restarted) return;
    const username = values.username as string;
    const client = await connect(dirname(socket), username);
    try {
      await client.query(`ALTER ROLE "${username}" PASSWORD '${values.password}'`);
      await client.query(`CREATE DATABASE "${SANDBOX_DBNAME}" OWNER "${username}"`);
      // from now on every login needs the password, the daemon's own included
      writeFileSync(join(dir, "data", "pg_hba.conf"), "local all all scram-sha-256\n");
      await client.query("SELECT pg_reload_conf()");
    } finally {
      await client.end().catch(() => {});
    }
    // the reload is asynchronous: wait until a login without the password is refused
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      try {
        const probe = await connect(dirname(socket), username);
        await probe.end();
      } catch {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("pg_hba.conf reload was not seen");
  },
};

/**
 * a rotation: a second superuser login with a new password on the same throwaway server; after the grace the old
 * login is made NOLOGIN, so a client that kept it is refused as a real server would refuse a revoked role
 */
export async function rotatePostgresLogin(
  socket: string,
  values: Readonly<Record<string, string>>,
  graceSeconds: number,
): Promise<Record<string, string>> {
  const oldUser = values.username as string;
  const username = `ds_${randomBytes(4).toString("hex")}`;
  const password = randomBytes(24).toString("base64url");
  const admin = await connect(dirname(socket), oldUser, values.password);
  try {
    await admin.query(`CREATE ROLE "${username}" LOGIN SUPERUSER PASSWORD '${password}'`);
    await admin.query(`ALTER DATABASE "${values.dbname}" OWNER TO "${username}"`);
  } finally {
    await admin.end().catch(() => {});
  }
  const retire = async () => {
    const client = await connect(dirname(socket), username, password);
    try {
      await client.query(`ALTER ROLE "${oldUser}" NOLOGIN`);
    } finally {
      await client.end().catch(() => {});
    }
  };
  if (graceSeconds <= 0) await retire();
  else setTimeout(() => void retire().catch(() => {}), graceSeconds * 1000).unref();
  return { ...values, username, password };
}
