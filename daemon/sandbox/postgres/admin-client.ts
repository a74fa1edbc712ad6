// One short-lived admin connection to PostgreSQL with bounded connect, statement and query times.
// Rule: errors name the server and the database, never a password; the connection always ends.

import type pg from "pg";
import { DevsecretsError } from "../../../common/errors.js";

export const CONNECT_TIMEOUT_MS = 5_000;
export const STATEMENT_TIMEOUT_MS = 10_000;

export type AdminClient = pg.Client;

/** runs `work` on a fresh connection to `url` (no password in it: ~/.pgpass or PGPASSWORD supply one) */
export async function withAdminClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  // pg loads on the first role, not at daemon start
  const { default: driver } = await import("pg");
  const client = new driver.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    lock_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: STATEMENT_TIMEOUT_MS + 2_000,
    application_name: "devsecrets",
  });
  // a server that goes away mid-session emits 'error' on the client; the pending query rejects on its own
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw new DevsecretsError(
      "DS_PG_UNREACHABLE",
      `cannot connect to PostgreSQL at ${describe(url)}: ${reason(error)}`,
      {
        hint: "check that the server is up and that the admin URL, ~/.pgpass or PGPASSWORD let the daemon in",
        cause: error,
      },
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** host:port/db of a URL, for messages */
export function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || "localhost"}:${parsed.port || "5432"}${parsed.pathname}`;
  } catch {
    return "the configured server";
  }
}

/** the server's own message (PostgreSQL never echoes a password back), or the system error code */
export function reason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return (e.message ?? e.code ?? "unknown error").split("\n")[0]!.slice(0, 200);
}
