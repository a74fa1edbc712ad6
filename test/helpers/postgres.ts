// A throwaway PostgreSQL cluster for one test: initdb in a temp folder owned by postgres, trust auth, a free port.
// Rule: missing binaries fail the test with the package to install (never a skip); the server is stopped by its pid.

import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import pg from "pg";
import { isAlive, runProcess, waitFor } from "./sandbox-env.js";
import { freePort } from "./loopback-port.js";

export interface Cluster {
  port: number;
  /** postgres://admin@127.0.0.1:PORT/postgres (trust auth: no password) */
  adminUrl: string;
  dir: string;
  start(): Promise<void>;
  /** stops the postmaster by its pid (SIGINT: fast shutdown) and waits until it is gone */
  stop(): Promise<void>;
  destroy(): Promise<void>;
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: unknown[],
    db?: string,
  ): Promise<pg.QueryResult<T>>;
}

export function postgresBin(name: string): string {
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, "bin", name)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0)
    throw new Error(
      `PostgreSQL's ${name} is missing: install the Debian package "postgresql" (apt-get install -y postgresql)`,
    );
  return join(base, versions[0] as string, "bin", name);
}

export { freePort };

function postgresUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

/** initdb + start; the caller destroys it */
export async function startCluster(): Promise<Cluster> {
  const initdb = postgresBin("initdb");
  const pgCtl = postgresBin("pg_ctl");
  const root = mkdtempSync(join(tmpdir(), "ds-pg-"));
  chmodSync(root, 0o755);
  const dir = join(root, "data");
  const sockets = join(root, "sock");
  mkdirSync(dir, { mode: 0o700 });
  mkdirSync(sockets, { mode: 0o755 });
  const owner = postgresUser();
  for (const path of [root, dir, sockets]) chownSync(path, owner.uid, owner.gid);
  const asPostgres = (args: string[]) =>
    runProcess("runuser", ["-u", "postgres", "--", ...args], { timeoutMs: 60_000 });
  const init = await asPostgres([initdb, "-D", dir, "-U", "admin", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  if (init.code !== 0) throw new Error(`initdb failed: ${init.stderr.slice(0, 500)}`);
  const port = await freePort();
  const adminUrl = `postgres://admin@127.0.0.1:${port}/postgres`;

  const postmasterPid = (): number | null => {
    try {
      return Number(readFileSync(join(dir, "postmaster.pid"), "utf8").split("\n")[0]);
    } catch {
      return null;
    }
  };
  const cluster: Cluster = {
    port,
    adminUrl,
    dir,
    async start() {
      const started = await asPostgres([
        pgCtl,
        "-D",
        dir,
        "-l",
        join(root, "server.log"),
        "-w",
        "-t",
        "30",
        "-o",
        `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1 -c fsync=off`,
        "start",
      ]);
      if (started.code !== 0) throw new Error(`pg_ctl start failed: ${started.stderr.slice(0, 500)}`);
    },
    async stop() {
      const pid = postmasterPid();
      if (!pid || !isAlive(pid)) return;
      process.kill(pid, "SIGINT");
      await waitFor(() => !isAlive(pid), 30_000, `postmaster ${pid} to stop`);
    },
    async destroy() {
      await cluster.stop();
      rmSync(root, { recursive: true, force: true });
    },
    async query(sql, params, db = "postgres") {
      const client = new pg.Client({
        connectionString: `postgres://admin@127.0.0.1:${port}/${db}`,
        connectionTimeoutMillis: 5_000,
      });
      await client.connect();
      try {
        return await client.query(sql, params);
      } finally {
        await client.end();
      }
    },
  };
  try {
    await cluster.start();
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return cluster;
}

/** tries to log in as a role; resolves to the error message, or null on success */
export async function loginError(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}
