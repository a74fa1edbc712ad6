// Where the PostgreSQL admin URL for sandbox://postgres/role comes from: env, user config, then a trusted project's
// devsecrets.json.
// Rule: the URL never carries a password (that lives in ~/.pgpass, PGPASSWORD or, later, the keychain); one with a password is refused.

import { readProjectFileSync } from "../../resolve/read-project-file.js";
import { join } from "node:path";
import { DevsecretsError } from "../../../common/errors.js";
import { configDir } from "../../../common/paths.js";
import type { MintLedger } from "../sandbox-kind.js";

export interface AdminUrl {
  /** the URL as configured, without a password */
  url: string;
  /** where it came from, for messages: "DEVSECRETS_PG_ADMIN_URL", a file path */
  source: string;
}

const HOW_TO_CONFIGURE =
  'set DEVSECRETS_PG_ADMIN_URL for the daemon, or add { "postgres": { "adminUrl": "postgres://admin@localhost:5432/postgres" } } ' +
  "to ~/.config/devsecrets/config.json (or to a trusted project's devsecrets.json)";

function candidates(ledger: Pick<MintLedger, "env" | "projectRoot">): Array<() => AdminUrl | null> {
  return [
    () =>
      ledger.env.DEVSECRETS_PG_ADMIN_URL
        ? { url: ledger.env.DEVSECRETS_PG_ADMIN_URL, source: "DEVSECRETS_PG_ADMIN_URL" }
        : null,
    // the user's own settings win over a project's (which the trust gate lets through only once trusted): DESIGN
    // "Where credentials may go", as for the Vault address
    () => fromJsonFile(join(configDir(ledger.env), "config.json")),
    () => (ledger.projectRoot ? fromJsonFile(join(ledger.projectRoot, "devsecrets.json")) : null),
  ];
}

/** whether any source names an admin URL (a malformed one counts): the trust gate refuses an untrusted project then */
export function adminUrlConfigured(ledger: Pick<MintLedger, "env" | "projectRoot">): boolean {
  return candidates(ledger).some((candidate) => {
    try {
      return candidate() !== null;
    } catch {
      return true;
    }
  });
}

/** the first configured admin URL, checked; a clear DS_PG_ADMIN_URL when none is */
export function findAdminUrl(ledger: Pick<MintLedger, "env" | "projectRoot">): AdminUrl {
  for (const candidate of candidates(ledger)) {
    const found = candidate();
    if (found) return { url: checkAdminUrl(found.url, found.source), source: found.source };
  }
  throw new DevsecretsError(
    "DS_PG_ADMIN_URL",
    "sandbox kind postgres/role needs a PostgreSQL admin URL and none is configured",
    {
      hint: HOW_TO_CONFIGURE,
    },
  );
}

function fromJsonFile(path: string): AdminUrl | null {
  let text: string;
  try {
    // regular, at most 1 MiB, opened without blocking: a devsecrets.json linked to /dev/zero or a FIFO must not
    // hold the daemon (an unreadable file counts as absent, as before)
    text = readProjectFileSync(path);
  } catch {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DevsecretsError("DS_PG_ADMIN_URL", `${path}: not valid JSON`, {
      hint: "fix the file; postgres.adminUrl is read from it",
    });
  }
  const postgres = (parsed as { postgres?: { adminUrl?: unknown } } | null)?.postgres;
  if (postgres?.adminUrl === undefined) return null;
  if (typeof postgres.adminUrl !== "string") {
    throw new DevsecretsError("DS_PG_ADMIN_URL", `${path}: postgres.adminUrl is not a string`, {
      hint: HOW_TO_CONFIGURE,
    });
  }
  return { url: postgres.adminUrl, source: path };
}

/** a postgres:// or postgresql:// URL with a user and no password; returns it unchanged */
export function checkAdminUrl(url: string, source: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DevsecretsError("DS_PG_ADMIN_URL", `the PostgreSQL admin URL from ${source} is not a URL`, {
      hint: HOW_TO_CONFIGURE,
    });
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new DevsecretsError(
      "DS_PG_ADMIN_URL",
      `the PostgreSQL admin URL from ${source} is not postgres:// or postgresql://`,
      { hint: HOW_TO_CONFIGURE },
    );
  }
  if (parsed.password !== "" || /[?&]password=/i.test(parsed.search)) {
    // the URL is a setting, kept in files and in the crash journal: a password must not travel with it
    throw new DevsecretsError(
      "DS_PG_ADMIN_URL",
      `the PostgreSQL admin URL from ${source} contains a password, which is refused`,
      {
        hint:
          "remove the password from the URL and keep it in ~/.pgpass or PGPASSWORD for the daemon; " +
          "a keychain item (devsecrets set pg-admin, referenced as keychain://pg-admin) is the planned home for it",
      },
    );
  }
  if (parsed.username === "") {
    throw new DevsecretsError("DS_PG_ADMIN_URL", `the PostgreSQL admin URL from ${source} names no user`, {
      hint: "write the admin user into the URL, e.g. postgres://admin@localhost:5432/postgres",
    });
  }
  return url;
}

/** the same server and user, another database */
export function withDatabase(url: string, db: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(db)}`;
  return parsed.toString();
}
