// A rotation's part in the sandbox services: the old value keeps working for the grace, then the service refuses it
// exactly as a real provider would (moto forgets the key pair; Redis drops the old password from its ACL).
// (PostgreSQL: a second login, the old one made NOLOGIN after the grace; a postgres/role's old role NOLOGIN after it.)
// Rule: stripe-mock enforces no key, so nothing is retired there (docs/sandbox.md says so).

import type { Minted, SandboxKind } from "../sandbox-kind.js";
import type { MotoLauncher } from "./moto-launcher.js";
import { disableLogin } from "../postgres/disable-login.js";
import { rotatePostgresLogin } from "./postgres-launcher.js";
import { rotateRedisPassword } from "./redis-launcher.js";
import type { SandboxServices } from "./service-manager.js";

export interface RetireParts {
  services: SandboxServices;
  moto: MotoLauncher;
  /** where a postgres/role lives: its journaled admin URL, or the throwaway server's superuser; null when gone */
  roleAdminUrl?: (role: string) => string | null;
}

export async function retireInService(
  old: { kind: SandboxKind; minted: Minted },
  graceSeconds: number,
  parts: RetireParts,
): Promise<void> {
  if (!("fields" in old.minted)) return;
  if (old.kind.kind === "aws/access-key" || old.kind.kind === "aws/session") {
    const id = old.minted.fields.id?.reveal();
    if (!id) return;
    await afterGrace(graceSeconds, () => parts.moto.revokeKey(id).catch(() => {}));
    return;
  }
  if (old.kind.kind === "postgres/role") {
    const role = old.minted.fields.username?.reveal();
    if (!role || !parts.roleAdminUrl) return;
    const lookup = parts.roleAdminUrl;
    await afterGrace(graceSeconds, async () => {
      // looked up when the grace ends: a postgres/database rotation meanwhile gives the throwaway server a new superuser
      const adminUrl = lookup(role);
      if (adminUrl) await disableLogin(adminUrl, role).catch(() => {});
    });
    return;
  }
  if (old.kind.kind === "postgres/database") {
    const running = parts.services.runningValues("postgres");
    if (!running?.values.password) return;
    parts.services.setValues("postgres", await rotatePostgresLogin(running.socket, running.values, graceSeconds));
    return;
  }
  if (old.kind.kind === "redis/server") {
    const running = parts.services.runningValues("redis");
    if (!running?.values.password) return;
    const password = await rotateRedisPassword(running.socket, running.values.password, graceSeconds);
    parts.services.setValues("redis", { ...running.values, password });
  }
}

/** `retire` at once (no grace: awaited), or in the background once the grace is over (never keeping the daemon up) */
async function afterGrace(graceSeconds: number, retire: () => Promise<void>): Promise<void> {
  if (graceSeconds <= 0) await retire();
  else setTimeout(() => void retire(), graceSeconds * 1000).unref();
}
