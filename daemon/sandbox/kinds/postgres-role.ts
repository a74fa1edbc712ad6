// sandbox://postgres/role?db=app&grant=readonly|readwrite|owner#username|password|url: a REAL login role, dropped at the wipe:
// on the configured admin server, or, with none configured, on the session's throwaway PostgreSQL (DESIGN).
// Rule: on an admin server it is journaled before CREATE ROLE; valid until the session ends; the admin URL never carries
// a password. On the throwaway server it lives and dies with that server, which the journal and the wipe already hold.

import { randomBytes } from "node:crypto";
import { DevsecretsError } from "../../../common/errors.js";
import type { SandboxKind } from "../sandbox-kind.js";
import { multiField } from "../minted.js";
import { adminUrlConfigured, findAdminUrl } from "../postgres/admin-url.js";
import { onThrowawayServer } from "../postgres/throwaway-role.js";
import { createRole } from "../postgres/create-role.js";
import { GRANTS, type Grant } from "../postgres/role-grants.js";

export const POSTGRES_ROLE_KIND = "postgres-role";

export const postgresRole: SandboxKind = {
  kind: "postgres/role",
  live: "postgres",
  summary:
    "a real, ephemeral PostgreSQL login role (ds_<session>_<random>) on the configured server, else on the session's throwaway server, dropped at logout",
  fields: ["username", "password", "url"],
  options: {
    db: {
      type: "pattern",
      pattern: /^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/,
      example: "app",
      description: "the database the role may use (default: the admin URL's database, app on the throwaway server)",
    },
    grant: {
      type: "enum",
      values: GRANTS,
      default: "readonly",
      description: "readonly, readwrite or owner (see docs/sandbox.md)",
    },
  },
  async mint(options, context) {
    const ledger = context.ledger;
    if (!ledger) {
      throw new DevsecretsError(
        "DS_SANDBOX_OPTION",
        "sandbox kind postgres/role makes a real role and can only be minted by the daemon",
        {
          hint: "reference it from a project (sandbox://postgres/role?db=app#url) and resolve it with `devsecrets run` or `env`",
        },
      );
    }
    if (!adminUrlConfigured(ledger)) return onThrowawayServer(options, context, ledger);
    const admin = findAdminUrl(ledger);
    const adminUrl = new URL(admin.url);
    const db = (options.db as string | undefined) ?? (decodeURIComponent(adminUrl.pathname.slice(1)) || "postgres");
    const role = `ds_${ledger.sessionId.replace(/-/g, "").slice(0, 8).toLowerCase()}_${randomBytes(4).toString("hex")}`;
    // 24 random bytes in base64url: 32 characters that need no escaping in a URL's userinfo
    const password = randomBytes(24).toString("base64url");
    ledger.record({
      id: role,
      kind: POSTGRES_ROLE_KIND,
      data: { adminUrl: admin.url, db },
      // where the role lives, for status, doctor and a revoker that has only the journal v2 fields
      origin: {
        host: adminUrl.hostname || "localhost",
        port: adminUrl.port || "5432",
        user: decodeURIComponent(adminUrl.username),
        db,
      },
    });
    await createRole({
      adminUrl: admin.url,
      db,
      grant: options.grant as Grant,
      role,
      password,
      validUntil: ledger.expiresAt,
    });
    const url = new URL(`postgres://${adminUrl.host || "localhost"}`);
    url.username = role;
    url.password = password;
    url.pathname = `/${encodeURIComponent(db)}`;
    const query = hostQuery(adminUrl);
    return multiField({ username: role, password, url: `${url.toString()}${query}` });
  },
};

/** a Unix-socket admin URL (?host=/run/postgresql) keeps its host for the role's URL; nothing else is carried over */
function hostQuery(adminUrl: URL): string {
  const host = adminUrl.searchParams.get("host");
  return host ? `?host=${encodeURIComponent(host)}` : "";
}
