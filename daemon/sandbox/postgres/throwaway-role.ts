// postgres/role when no admin URL is configured: the role is made on the session's throwaway PostgreSQL (the one
// postgres/database serves), through its private Unix socket, with the same grants as on an admin server.
// Rule: nothing is journaled for the role: it exists only inside that server, whose process and folder the journal
// already names and the wipe removes; the superuser's password travels in memory only, never in a message.

import { randomBytes } from "node:crypto";
import { dirname } from "node:path";
import { multiField } from "../minted.js";
import type { MintContext, MintLedger, Minted, OptionValues } from "../sandbox-kind.js";
import { daemonServices } from "../kinds/daemon-services.js";
import { SANDBOX_DBNAME, SOCKET_PORT } from "../services/postgres-launcher.js";
import { createRole } from "./create-role.js";
import type { Grant } from "./role-grants.js";

export async function onThrowawayServer(
  options: OptionValues,
  context: MintContext,
  ledger: MintLedger,
): Promise<Minted> {
  const { services } = daemonServices(context, "postgres/role", "sandbox://postgres/role?db=app#url");
  const { host, port } = await services.start("postgres", ledger.sessionId);
  const access = services.privateAccess?.("postgres");
  if (!access?.values.username || !access.values.password) throw new Error("the throwaway PostgreSQL is not running");
  const db = (options.db as string | undefined) ?? SANDBOX_DBNAME;
  const role = `ds_${ledger.sessionId.replace(/-/g, "").slice(0, 8).toLowerCase()}_${randomBytes(4).toString("hex")}`;
  const password = randomBytes(24).toString("base64url");
  await createRole({
    adminUrl: superuserUrl(dirname(access.socket), access.values),
    db,
    grant: options.grant as Grant,
    role,
    password,
    validUntil: ledger.expiresAt,
  });
  const url = new URL(`postgres://${host}:${port}`);
  url.username = role;
  url.password = password;
  url.pathname = `/${encodeURIComponent(db)}`;
  return multiField({ username: role, password, url: url.toString() });
}

/** the throwaway server's superuser over its socket folder (`?host=` names it; the port names the socket file) */
export function superuserUrl(socketDir: string, values: Readonly<Record<string, string>>): string {
  const url = new URL(`postgres://localhost:${SOCKET_PORT}/postgres`);
  url.username = values.username as string;
  url.password = values.password as string;
  url.searchParams.set("host", socketDir);
  return url.href;
}
