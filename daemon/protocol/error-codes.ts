// The one table of user-facing failures: code -> hint, exit code, docs anchor.
// Shared by the daemon, the client, the CLI and (as strings) every shim; docs/errors.md mirrors it.

export interface ErrorCodeInfo {
  /** what the user should do next; may be overridden per error */
  hint: string;
  /** HTTP status the daemon answers with */
  status: number;
  /** CLI exit code: 1 for user-facing errors, 2 for bad usage */
  exit: 1 | 2 | 130;
}

export const ERROR_CODES = {
  DS_USAGE: { hint: "run the command with --help for its usage and an example", status: 400, exit: 2 },
  DS_BAD_REQUEST: { hint: "the request does not match the protocol; see docs/protocol.md", status: 400, exit: 1 },
  DS_BODY_TOO_LARGE: { hint: "request bodies are limited to 64 KiB", status: 413, exit: 1 },
  DS_UNSUPPORTED_MEDIA_TYPE: { hint: "send the body as application/json", status: 415, exit: 1 },
  DS_NOT_FOUND: { hint: "see docs/protocol.md for the routes of API v1", status: 404, exit: 1 },
  DS_INTERNAL: {
    hint: "see the daemon log (devsecrets doctor prints where it is) and report the issue",
    status: 500,
    exit: 1,
  },
  DS_DAEMON_UNREACHABLE: {
    hint: "start it with `devsecrets daemon start`, or run `devsecrets doctor`",
    status: 503,
    exit: 1,
  },
  DS_DAEMON_START_FAILED: {
    hint: "run `devsecrets daemon start --foreground` to see why it stops",
    status: 503,
    exit: 1,
  },
  DS_PERMISSION: {
    hint: "add the --allow-* flags the message names to node's command line (README, Node versions), or run without --permission",
    status: 403,
    exit: 1,
  },
  DS_DAEMON_VERSION: {
    hint: "stop the old daemon with `devsecrets daemon stop`; the next command starts the new one",
    status: 409,
    exit: 1,
  },
  DS_SOCKET_UNSAFE: {
    hint: "fix the folder's owner and mode (chmod 700), or point DEVSECRETS_SOCKET at a private folder",
    status: 500,
    exit: 1,
  },
  DS_STORE_UNSAFE: {
    hint: "make the file 0600 and its folder 0700, both yours (chmod), and try again",
    status: 500,
    exit: 1,
  },
  DS_CANCELLED: { hint: "run the command again when you are ready", status: 400, exit: 130 },
  DS_PROJECT_NOT_FOUND: {
    hint: "create a devsecrets.env in the project root (docs/references.md shows one), or cd into the project",
    status: 404,
    exit: 1,
  },
  DS_ENV_SYNTAX: { hint: "each line is NAME=value; see docs/references.md", status: 422, exit: 1 },
  DS_ENV_NAME: {
    hint: "environment names are lowercase letters, digits, '-' and '_' (dev, staging, prod)",
    status: 400,
    exit: 1,
  },
  DS_FORMAT_UNSAFE: {
    hint: "use --format json, or --format sh for eval and sourcing",
    status: 422,
    exit: 1,
  },
  DS_INIT_ENCRYPTED: {
    hint: "decrypt the file first with `dotenvx decrypt -f FILE`, then run `devsecrets init` again",
    status: 422,
    exit: 1,
  },
  DS_REF_SYNTAX: {
    hint: "references look like sandbox://KIND[/VARIANT][?opts][#FIELD]; see docs/references.md",
    status: 422,
    exit: 1,
  },
  DS_REF_NOT_FOUND: { hint: "check the name, or set it (`devsecrets set NAME` for keychain://)", status: 404, exit: 1 },
  DS_REF_CYCLE: {
    hint: "break the loop: one of these variables must not refer back to the others",
    status: 422,
    exit: 1,
  },
  DS_EXPANSION_LIMIT: {
    hint: "a value may expand to 128 KiB minus its name (what execve accepts) and a project to 1 MiB; shorten the chain of ${VAR} uses",
    status: 422,
    exit: 1,
  },
  DS_VALUE_INVALID: {
    hint: "a value cannot hold a NUL byte (no environment can carry one); remove it from the value or its source",
    status: 422,
    exit: 1,
  },
  DS_PROJECT_FILE: {
    hint: "make the project file a readable regular file of at most 1 MiB (not a symlink loop, a device or a too-long path)",
    status: 422,
    exit: 1,
  },
  DS_SETTING_FILE: {
    hint: "point the setting at a readable regular file of at most 1 MiB (for vault.caCert, the PEM of the CA)",
    status: 422,
    exit: 1,
  },
  DS_VAR_NOT_FOUND: {
    hint: "the project does not define this variable; `devsecrets ls` lists the ones it does",
    status: 404,
    exit: 1,
  },
  DS_SANDBOX_KIND: { hint: "`devsecrets sandbox kinds` lists the kinds and their variants", status: 404, exit: 1 },
  DS_SANDBOX_OPTION: { hint: "`devsecrets sandbox kinds` lists each kind's options", status: 422, exit: 1 },
  DS_SANDBOX_FIELD: { hint: "`devsecrets sandbox kinds` lists each kind's fields", status: 422, exit: 1 },
  DS_SANDBOX_SERVICE_MISSING: {
    hint: "install the service's program (the message names it) or point DEVSECRETS_<SERVICE>_BIN at it",
    status: 503,
    exit: 1,
  },
  DS_SANDBOX_SERVICE_START: {
    hint: "the sandbox service did not come up; run its program by hand to see why",
    status: 503,
    exit: 1,
  },
  DS_SANDBOX_SERVICE_NOT_RUNNING: {
    hint: "`devsecrets sandbox services` lists the running sandbox services",
    status: 404,
    exit: 1,
  },
  DS_PG_ADMIN_URL: {
    hint: "set DEVSECRETS_PG_ADMIN_URL or postgres.adminUrl in devsecrets.json to a postgres:// URL with a user and no password (the password comes from ~/.pgpass)",
    status: 422,
    exit: 1,
  },
  DS_PG_UNREACHABLE: {
    hint: "check that PostgreSQL is up and that the admin URL and ~/.pgpass let the daemon in",
    status: 502,
    exit: 1,
  },
  DS_SESSION_NONE: { hint: "run `devsecrets login` first", status: 401, exit: 1 },
  DS_SESSION_EXPIRED: { hint: "run `devsecrets login` to start a new session", status: 401, exit: 1 },
  DS_SESSION_LOCKED: {
    hint: "run `devsecrets login` on a terminal: it asks the file session's passphrase once and the same session continues",
    status: 423,
    exit: 1,
  },
  DS_KEYCHAIN_LOCKED: {
    hint: "unlock your keyring (or log in to the desktop), or use `devsecrets login --store file`",
    status: 423,
    exit: 1,
  },
  DS_KEYCHAIN_UNAVAILABLE: {
    hint: "no Secret Service answers; use `devsecrets login --store memory` or `--store file`",
    status: 503,
    exit: 1,
  },
  DS_PASSPHRASE_WRONG: {
    hint: "try again; the passphrase is the one chosen at `devsecrets login --store file`",
    status: 401,
    exit: 1,
  },
  DS_VAULT_UNREACHABLE: {
    hint: "check VAULT_ADDR and that the server is up, or run with --offline for sandbox values",
    status: 502,
    exit: 1,
  },
  DS_VAULT_FORBIDDEN: { hint: "ask for a policy that grants read on this path", status: 403, exit: 1 },
  DS_VAULT_AUTH: {
    hint: "check the token (VAULT_TOKEN, ~/.vault-token) or the approle/userpass credentials, then `devsecrets login` again",
    status: 401,
    exit: 1,
  },
  DS_VAULT_INSECURE: {
    hint: "use https:// (vault.caCert names a private CA), or reach Vault through a tunnel on 127.0.0.1",
    status: 400,
    exit: 1,
  },
  DS_STORE_UNREACHABLE: {
    hint: "check the network and the store's region and endpoint (AWS_ENDPOINT_URL, aws.endpoint), or log in with --offline for sandbox values",
    status: 502,
    exit: 1,
  },
  DS_STORE_AUTH: {
    hint: "check your AWS credentials (`aws sts get-caller-identity --profile NAME`), then `devsecrets login --aws-profile NAME` again",
    status: 401,
    exit: 1,
  },
  DS_STORE_FORBIDDEN: { hint: "ask for a policy that allows reading this secret or parameter", status: 403, exit: 1 },
  DS_SOPS_DECRYPT: {
    hint: "the file is not encrypted to your age recipient (`devsecrets sops key show-recipient`); ask a holder to add it with `sops updatekeys`",
    status: 422,
    exit: 1,
  },
  DS_SOPS_MISSING: {
    hint: "install sops (`go install github.com/getsops/sops/v3/cmd/sops@v3.13.3`), or name it in the user config's sops.binary",
    status: 503,
    exit: 1,
  },
  DS_VAULT_ERROR: {
    hint: "see the daemon log (devsecrets doctor prints where it is); Vault answered something devsecrets did not expect",
    status: 502,
    exit: 1,
  },
  DS_CONFIG_INVALID: {
    hint: "fix the file: config/devsecrets.schema.json and config/user-config.schema.json describe it",
    status: 422,
    exit: 1,
  },
  DS_AUDIT_UNAVAILABLE: {
    hint: "the audit log cannot be written; free disk space or fix $XDG_STATE_HOME/devsecrets",
    status: 503,
    exit: 1,
  },
  DS_CHILD_SPAWN: { hint: "check the command name and that it is on PATH", status: 500, exit: 1 },
  DS_UI_PORT: {
    hint: "choose another port with --port, or leave it out for a free one",
    status: 409,
    exit: 1,
  },
  DS_UI_AUTH: {
    hint: "run `devsecrets ui` again and open the new address within 60 seconds (each address works once)",
    status: 401,
    exit: 1,
  },
  DS_UI_CSRF: {
    hint: "actions come from the dashboard's own page, which sends its X-Devsecrets-CSRF header; reload the page",
    status: 403,
    exit: 1,
  },
  DS_PROJECT_UNTRUSTED: {
    hint: "run `devsecrets trust` in the project to see what it asks for and allow it",
    status: 403,
    exit: 1,
  },
  DS_TRUST_STALE: {
    hint: "the project files changed since the listing was shown; run `devsecrets trust` again",
    status: 409,
    exit: 1,
  },
  DS_NAME_WITHHELD: {
    hint: "run `devsecrets trust` in the project to allow the variables that change how programs run",
    status: 403,
    exit: 1,
  },
  DS_KEYCHAIN_EXISTS: {
    hint: "pass --force to replace the value (devsecrets set NAME --force), or choose another name",
    status: 409,
    exit: 1,
  },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CODES, value);
}

/** the wire shape of every error: `{ "error": { code, message, hint } }` */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; hint: string };
}

/** codes of notices: said on stderr next to a successful answer, never a failure */
export const NOTICE_CODES = {
  DS_VAULT_SANDBOX:
    "a vault:// reference was answered by a sandbox value (no Vault configured, offline, or a production reference in dev)",
  DS_STORE_SANDBOX:
    "an aws-sm://, aws-ssm:// or sops:// reference was answered by a sandbox value (no login, no AWS configured, offline, an untrusted project, or a production reference in dev)",
  DS_SESSION_ENDING: "the session ends within 10 minutes; `devsecrets login` extends it",
  DS_KEYCHAIN_UNAVAILABLE: "no OS keychain answered at login: the session is kept in memory",
  DS_NAME_WITHHELD:
    "a variable that changes how programs run was left out: the project is not trusted (or it is a DEVSECRETS_* name, which no project sets)",
  DS_VAULT_USER_TOKEN:
    "the Vault token's policy does not allow auth/token/create: the session uses the user's own token, and logout revokes its leases one by one",
} as const;
