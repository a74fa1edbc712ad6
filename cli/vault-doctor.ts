// doctor's Vault check: the address the session uses (or would use), whether it answers, whether it is sealed, the token's TTL.
// Rule: asks only sys/health (no token needed) and the daemon's status; never prints a token.

import { DaemonClient } from "../daemon/client/client.js";
import { formatDuration } from "../common/durations.js";
import { vaultSettingsFromEnv } from "./config/vault-settings.js";
import { asDevsecretsError } from "./output.js";

export interface VaultCheck {
  name: string;
  ok: boolean;
  detail: string;
  hint?: string;
}

export async function vaultCheck(env: NodeJS.ProcessEnv = process.env): Promise<VaultCheck> {
  let session: Awaited<ReturnType<DaemonClient["status"]>>["vault"] = null;
  try {
    session = (await new DaemonClient({ autostart: false, timeoutMs: 3_000 }).status()).vault ?? null;
  } catch {
    // no daemon: judge the address from the environment alone
  }
  if (session?.offline)
    return { name: "vault", ok: true, detail: "the session is offline: vault:// is answered by sandbox values" };
  let address: string | undefined;
  try {
    address = session?.address || vaultSettingsFromEnv(env).address;
  } catch (error) {
    return {
      name: "vault",
      ok: false,
      detail: asDevsecretsError(error).message,
      hint: "set VAULT_ADDR to http(s)://host:port",
    };
  }
  if (!address)
    return {
      name: "vault",
      ok: true,
      detail: "no Vault configured: vault:// is answered by sandbox values (set VAULT_ADDR and `devsecrets login`)",
    };
  let health: { sealed?: boolean; version?: string };
  try {
    const response = await fetch(`${address}/v1/sys/health?sealedcode=200&standbycode=200&uninitcode=200`, {
      signal: AbortSignal.timeout(3_000),
    });
    health = (await response.json()) as { sealed?: boolean; version?: string };
  } catch (error) {
    return {
      name: "vault",
      ok: false,
      detail: `${address} does not answer (${causeOf(error)})`,
      hint: "start the server or fix VAULT_ADDR, or use `devsecrets login --offline` for sandbox values",
    };
  }
  if (health.sealed)
    return {
      name: "vault",
      ok: false,
      detail: `${address} answers but is sealed`,
      hint: "unseal it (`bao operator unseal`)",
    };
  const ttl = session?.tokenExpiresAt ? Math.round((Date.parse(session.tokenExpiresAt) - Date.now()) / 1000) : null;
  const token = !session
    ? "no session token (run `devsecrets login`)"
    : `session token ${session.tokenOwned ? "(child, revoked at logout)" : "(your own)"} ${ttl === null ? "without expiry" : ttl > 0 ? `expires in ${formatDuration(ttl)}` : "has expired"}`;
  return {
    name: "vault",
    ok: ttl === null || ttl > 0,
    detail: `${address} reachable, unsealed${health.version ? `, version ${health.version}` : ""}; ${token}`,
    hint: "run `devsecrets login` for a new session token",
  };
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? (error as Error).name;
}
