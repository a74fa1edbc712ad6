// Every DEVSECRETS_* variable devsecrets reads, in one table (name, type, default, what it does), and the readers that
// go through it. Rule: no DEVSECRETS_* name is read anywhere without a row here (test/unit/environment.test.ts greps the
// sources), docs/environment.md lists exactly these rows, and every reader speaks the dialect of environment-dialect.ts.

import { DEFAULT_ENV } from "../daemon/protocol/messages.js";
import { DevsecretsError } from "./errors.js";
import { FLAG_WORDS, type OnInvalid, readFlag, readText } from "./environment-dialect.js";

export { DEFAULT_ENV };

/** how a variable's text is read; `flag` is the boolean dialect, the others are text whose emptiness means unset */
export type VariableType = "flag" | "text" | "integer" | "path" | "duration" | "choice" | "names";

export interface Variable {
  readonly name: string;
  readonly type: VariableType;
  /** what holds when the variable is unset or empty, as docs/environment.md shows it; absent: nothing */
  readonly default?: string;
  /** what it does, one sentence as the docs say it */
  readonly does: string;
  /** set by tests and benchmarks only, documented apart */
  readonly testOnly?: true;
}

export const VARIABLES = [
  {
    name: "DEVSECRETS_ENV",
    type: "text",
    default: DEFAULT_ENV,
    does: "the overlay (`devsecrets.<env>.env`) for `run`, `env`, `get`, `ls`, `check`, `login` (`--env`) and the shims",
  },
  {
    name: "DEVSECRETS_OVERRIDE",
    type: "flag",
    default: "false",
    does: "the project's values replace the ones the caller's environment already sets (`run`, `env`, the shims)",
  },
  {
    name: "DEVSECRETS_NO_MASK",
    type: "flag",
    default: "false",
    does: "`run` does not mask served values in the child's output (`--no-mask`)",
  },
  {
    name: "DEVSECRETS_OPTIONAL",
    type: "flag",
    default: "false",
    does: "a shim that cannot resolve says why and lets the app start without the project's variables",
  },
  {
    name: "DEVSECRETS_NO_AUTOSTART",
    type: "flag",
    default: "false",
    does: "clients and shims never start the daemon when none answers; they fail with `DS_DAEMON_UNREACHABLE`",
  },
  {
    name: "DEVSECRETS_SOCKET",
    type: "path",
    default: "`$XDG_RUNTIME_DIR/devsecrets/daemon.sock`, else `<tmp>/devsecrets-<uid>/daemon.sock`",
    does: "the daemon's Unix socket, for the daemon and every client",
  },
  {
    name: "DEVSECRETS_START_TIMEOUT_MS",
    type: "integer",
    default: "10000",
    does: "how long a client waits, in milliseconds, for a daemon it started to answer",
  },
  {
    name: "DEVSECRETS_NATIVE",
    type: "flag",
    default: "true",
    does: "`bin/devsecrets run` takes the native launcher when it was built; false takes the Node path",
  },
  {
    name: "DEVSECRETS_AUTOLOAD",
    type: "flag",
    default: "false",
    does: "the Python shim's `.pth` file loads the project at interpreter start-up",
  },
  {
    name: "DEVSECRETS_LOADED",
    type: "names",
    does: "set by the shims, not by you: the names a parent's shim already put in the environment (a child does not call them kept)",
  },
  {
    name: "DEVSECRETS_FORMAT",
    type: "choice",
    default: "sh",
    does: "`env --format`: sh, fish, dotenv or json",
  },
  {
    name: "DEVSECRETS_LOG",
    type: "choice",
    default: "info",
    does: "`debug` makes the CLI and the Node client write their steps to stderr (`devsecrets: debug: …`, never values), as `--verbose` does; `info` writes none",
  },
  { name: "DEVSECRETS_TTL", type: "duration", default: "8h", does: "`login --ttl`: how long the session lives" },
  {
    name: "DEVSECRETS_IDLE",
    type: "duration",
    default: "1h",
    does: "`login --idle`: the session locks after this long without use",
  },
  {
    name: "DEVSECRETS_STORE",
    type: "choice",
    default: "auto",
    does: "`login --store`: where the session is kept (auto, keychain, memory or file)",
  },
  { name: "DEVSECRETS_VAULT_ADDR", type: "text", does: "`login --vault`: the Vault or OpenBao address" },
  {
    name: "DEVSECRETS_VAULT_AUTH",
    type: "choice",
    does: "`login --vault-auth`: how to log in to Vault (token, approle or userpass)",
  },
  { name: "DEVSECRETS_VAULT_USER", type: "text", does: "`login --vault-user`: the user name for userpass" },
  {
    name: "DEVSECRETS_SOPS",
    type: "text",
    does: "in the daemon's environment: the sops binary for sops:// (else PATH, then ~/go/bin)",
  },
  {
    name: "DEVSECRETS_AWS_PROFILE",
    type: "text",
    does: "`login --aws-profile`: the AWS profile for aws-sm:// and aws-ssm:// (wins over AWS_PROFILE)",
  },
  {
    name: "DEVSECRETS_AWS_REGION",
    type: "text",
    does: "`login --aws-region`: the AWS region for aws-sm:// and aws-ssm:// (wins over AWS_REGION)",
  },
  {
    name: "DEVSECRETS_OFFLINE",
    type: "flag",
    default: "false",
    does: "`login --offline`; in the daemon's environment, every session answers `vault://` with sandbox values",
  },
  {
    name: "DEVSECRETS_TRUST_ALL",
    type: "flag",
    default: "false",
    does: "in the daemon's environment, every project counts as trusted (`devsecrets trust`), for CI; never set it from a project",
  },
  {
    name: "DEVSECRETS_PASSPHRASE_FD",
    type: "integer",
    does: "the file store's passphrase is read from this open descriptor (3 or more) instead of the terminal",
  },
  {
    name: "DEVSECRETS_POLL_MS",
    type: "integer",
    default: "30000",
    does: "the daemon's interval, in milliseconds (at least 100), between checks of fetched Vault KV, AWS Secrets Manager and Parameter Store versions for rotations (only while a shim subscribes)",
  },
  {
    name: "DEVSECRETS_VAULT_POLL_MS",
    type: "integer",
    does: "0.1.0's name of `DEVSECRETS_POLL_MS`, still read when that one is unset",
  },
  {
    name: "DEVSECRETS_AUDIT_FILE",
    type: "path",
    default: "`$XDG_STATE_HOME/devsecrets/audit.jsonl`",
    does: "the audit trail the daemon appends to and `audit` reads",
  },
  {
    name: "DEVSECRETS_PG_ADMIN_URL",
    type: "text",
    does: "the daemon's PostgreSQL admin server for `sandbox://postgres/role` and `postgres/database` (unset: the session's throwaway server)",
  },
  {
    name: "DEVSECRETS_REDIS_BIN",
    type: "path",
    does: "the daemon's `redis-server` for `sandbox://redis/server` (default: services.redis.binary, then PATH)",
  },
  {
    name: "DEVSECRETS_POSTGRES_BIN",
    type: "path",
    does: "the daemon's `postgres` for `sandbox://postgres/database` (default: services.postgres.binary, PATH, then the newest /usr/lib/postgresql/*/bin; initdb beside it)",
  },
  {
    name: "DEVSECRETS_STRIPE_BIN",
    type: "path",
    does: "the daemon's `stripe-mock` for `sandbox://stripe/api-base` (default: services.stripe.binary, PATH, then ~/go/bin)",
  },
  {
    name: "DEVSECRETS_MOTO_BIN",
    type: "path",
    does: "the python3 with `moto[server]` for `sandbox://aws/endpoint` (default: services.moto.binary, then python3 on PATH)",
  },
  {
    name: "DEVSECRETS_JWKS_SERVE",
    type: "flag",
    default: "false",
    does: "`sandbox jwks --serve`: serve the JWKS on 127.0.0.1",
  },
  {
    name: "DEVSECRETS_JWKS_PORT",
    type: "integer",
    does: "`sandbox jwks --port`: the loopback port for `--serve` (default: a free one)",
  },
  {
    name: "DEVSECRETS_UI_PORT",
    type: "integer",
    does: "`ui --port`: the dashboard's loopback port (default: a free one)",
  },
  {
    name: "DEVSECRETS_UI_NO_OPEN",
    type: "flag",
    default: "false",
    does: "`ui --no-open`: print the dashboard's address without opening a browser",
  },
  {
    name: "DEVSECRETS_EVENTS_JSON",
    type: "flag",
    default: "false",
    does: '`events --json`: one JSON line an event, `{"event","time","data"}`',
  },
  {
    name: "DEVSECRETS_INIT_FROM",
    type: "path",
    default: ".env",
    does: "`init --from`: the dotenv file to read",
  },
  {
    name: "DEVSECRETS_INIT_REMOVE",
    type: "flag",
    default: "false",
    does: "`init --remove`: delete the old file once every moved value reads back from the keychain",
  },
  {
    name: "DEVSECRETS_SCAN_EXPLAIN",
    type: "flag",
    default: "false",
    does: "`scan --explain`: say why each finding is or is not a leak, and list what was matched but is no credential",
  },
  {
    name: "DEVSECRETS_SCAN_STAGED",
    type: "flag",
    default: "false",
    does: "`scan --staged`: scan what `git commit` would record, not the work tree",
  },
  {
    name: "DEVSECRETS_TEST_HOOKS",
    type: "flag",
    default: "false",
    does: "switches the other test hooks on; without it, a test hook variable stops the daemon at start",
    testOnly: true,
  },
  {
    name: "DEVSECRETS_TEST_FAKE_VERSION",
    type: "text",
    does: "the version the daemon claims, to test that a newer client restarts an older daemon",
    testOnly: true,
  },
  {
    name: "DEVSECRETS_TEST_HEAP_SNAPSHOT",
    type: "flag",
    default: "false",
    does: "adds `POST /v1/test/heap-snapshot` (the leak canary test)",
    testOnly: true,
  },
  {
    name: "DEVSECRETS_TEST_FAULTS",
    type: "flag",
    default: "false",
    does: "adds `POST /v1/test/fault`, which throws or rejects outside every handler (the last-resort test)",
    testOnly: true,
  },
  {
    name: "DEVSECRETS_TEST_INIT_CRASH_AFTER",
    type: "integer",
    does: "`init` dies by SIGKILL after this many keychain writes",
    testOnly: true,
  },
  {
    name: "DEVSECRETS_GO_TEST_CHILD",
    type: "flag",
    default: "false",
    does: "marks the child process the Go shim's vector test runs itself as",
    testOnly: true,
  },
  {
    name: "DEVSECRETS_BENCH_SCAN_FILES",
    type: "integer",
    default: "10000",
    does: "`bench/scan.bench.ts`: how many files the scan benchmark writes",
    testOnly: true,
  },
  {
    name: "DEVSECRETS_LOAD_SECONDS",
    type: "integer",
    default: "60",
    does: "`bench/load.bench.ts`: how long the load benchmark runs",
    testOnly: true,
  },
  {
    name: "DEVSECRETS_FUZZ_SECONDS",
    type: "integer",
    default: "60",
    does: "`bench/fuzz.bench.ts`: how long the fuzzers run",
    testOnly: true,
  },
  {
    name: "DEVSECRETS_FUZZ_CASES",
    type: "integer",
    default: "20000",
    does: "`bench/fuzz.bench.ts`: how many cases each fuzzer tries",
    testOnly: true,
  },
  {
    name: "DEVSECRETS_FUZZ_SEED",
    type: "integer",
    default: "1",
    does: "`bench/fuzz.bench.ts`: the seed, to replay a run",
    testOnly: true,
  },
  {
    name: "DEVSECRETS_FAULT_RUNS",
    type: "integer",
    default: "50",
    does: "`bench/faults.bench.ts`: how many fault runs",
    testOnly: true,
  },
  {
    name: "DEVSECRETS_FAULT_SEED",
    type: "integer",
    default: "1",
    does: "`bench/faults.bench.ts`: the seed, to replay a run",
    testOnly: true,
  },
] as const satisfies readonly Variable[];

export type VariableName = (typeof VARIABLES)[number]["name"];
type NameOf<T extends VariableType> = Extract<(typeof VARIABLES)[number], { type: T }>["name"];
export type FlagName = NameOf<"flag">;
export type IntegerName = NameOf<"integer">;

type Env = Readonly<Record<string, string | undefined>>;

/** a row; looked up when asked, so a bundle that reads no row (run's fast path) carries none of the table */
export function variable(name: VariableName): Variable {
  return VARIABLES.find((row) => row.name === name) as Variable;
}

/** the CLI's OnInvalid: a value outside the dialect is bad usage (exit 2), never guessed at */
export function refuseInvalid(name: string, text: string, expected: string): never {
  throw new DevsecretsError("DS_USAGE", `${name}=${text} is not ${expected}`, {
    hint:
      expected === FLAG_WORDS ? `set ${name}=1 or ${name}=0, or unset it` : `set ${name} to ${expected}, or unset it`,
  });
}

/** a flag variable, its row's default when unset or empty; a value outside the dialect goes to onInvalid */
export function readBoolean(env: Env, name: FlagName, onInvalid: OnInvalid = refuseInvalid): boolean {
  return readFlag(env, name, onInvalid) ?? variable(name).default === "true";
}

/** any variable's text; undefined when unset or empty */
export function readString(env: Env, name: VariableName): string | undefined {
  return readText(env, name);
}

/** an integer variable (digits only); undefined when unset, empty or (after onInvalid) not a whole number */
export function readInteger(env: Env, name: IntegerName, onInvalid: OnInvalid = refuseInvalid): number | undefined {
  const text = readText(env, name);
  if (text === undefined) return undefined;
  if (/^[0-9]{1,15}$/.test(text)) return Number(text);
  onInvalid(name, text, "a whole number");
  return undefined;
}
