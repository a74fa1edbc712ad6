// Request and response bodies of API v1, shared by the daemon's HTTP edge, the client and the docs.
// Rule: plain JSON types only; values appear only in `variables`, `value` and `fields`.

export interface Notice {
  code: string;
  message: string;
}

export interface SessionSummary {
  expiresAt: string;
}

/** the overlay a request without `env` gets, and what DEVSECRETS_ENV and `--env` default to */
export const DEFAULT_ENV = "dev";

export interface ResolveRequest {
  /** absolute directory the caller runs in; the project is found by walking up from it */
  cwd: string;
  /** the overlay to apply (devsecrets.<env>.env); default DEFAULT_ENV */
  env?: string;
  /** the caller's own environment, used only for env:// and ${VAR}; never kept or logged */
  environ?: Record<string, string>;
  /** true: the project file wins over the caller's environment */
  override?: boolean;
  /** restrict the answer to these variable names (used by `get`) */
  names?: string[];
}

export interface ResolveResponse {
  /** the variables the caller should set (the caller's own, when they win, are left out) */
  variables: Record<string, string>;
  /** names the project defines that the caller's environment already set and kept */
  kept: string[];
  /** names whose values came from references (secrets): what `run` masks in the child's output */
  sensitive: string[];
  notices: Notice[];
  session: SessionSummary | null;
  project: { root: string; id: string; files: string[] };
  /** names the project defines and the daemon left out (DS_NAME_WITHHELD notices say why); absent when none */
  withheld?: string[];
}

export interface MintRequest {
  /** KIND[/VARIANT][?opts], e.g. "stripe/secret-key" or "random/password?length=40" */
  kind: string;
  claims?: Record<string, unknown>;
}

export type MintResponse =
  | { kind: string; reference: string; value: string }
  | { kind: string; reference: string; fields: Record<string, string> };

export interface SandboxKindInfo {
  kind: string;
  summary: string;
  fields: string[];
  options: Record<string, string>;
}

export interface KindsResponse {
  kinds: SandboxKindInfo[];
}

export interface ProjectVariable {
  name: string;
  /** "literal" or the reference's scheme */
  source: "literal" | "keychain" | "vault" | "sandbox" | "env" | "aws-sm" | "aws-ssm" | "sops";
  /** the reference text for references (no value ever), null for literals */
  reference: string | null;
  file: string;
  line: number;
  /** keychain:// only: whether a value is set for this project (null when nobody is logged in or it is not trusted) */
  set?: boolean | null;
  /** why an answer leaves this name out (it changes how programs run, and the project is not trusted) */
  withheld?: string;
}

export interface ListRequest {
  cwd: string;
  env?: string;
}

export interface ListResponse {
  project: { root: string; id: string; files: string[] };
  variables: ProjectVariable[];
  /** whether the project is trusted (`devsecrets trust`); absent from daemons before 0.2.0 */
  trusted?: boolean;
}

export interface HealthResponse {
  ok: true;
  version: string;
  pid: number;
}

export interface StatusResponse {
  version: string;
  user: string;
  pid: number;
  socket: string;
  startedAt: string;
  uptimeSeconds: number;
  logFile: string;
  /** the logged-in session's Vault/OpenBao: null when none is configured */
  vault?: {
    address: string;
    namespace: string | null;
    offline: boolean;
    tokenOwned: boolean;
    tokenExpiresAt: string | null;
  } | null;
  session: {
    kind: "anonymous" | "login";
    store: "memory" | "keychain" | "file";
    env: string;
    id: string | null;
    expiresAt: string | null;
    expiresInSeconds: number | null;
    idleInSeconds: number | null;
    counts: { valuesServed: number; sandboxTokens: number; leases: number };
  };
  /** what a wipe or a dead daemon left to undo, retried in the background; abandoned ones stay listed */
  pendingRevocations?: PendingRevocation[];
  /** how many sandbox services (redis-server, PostgreSQL) the daemon runs; absent from daemons before 0.2.0 */
  services?: number;
  /** a file session locked since the daemon restarted, waiting for `devsecrets login` to give its passphrase */
  lockedSession?: { id: string; expiresAt: string } | null;
}

/** one journaled item still to undo: names and times only (a role name, a lease id), never a credential */
export interface PendingRevocation {
  kind: string;
  id: string;
  attempts: number;
  nextAt: string | null;
  abandoned: boolean;
}

/** `GET /v1/doctor`: what the daemon meets in its own environment, for `devsecrets doctor` */
export interface DoctorResponse {
  keychain: {
    /** a Secret Service that answers and lets the daemon write, one whose collection is locked, or none in time */
    probe: "ok" | "locked" | "unavailable";
    /** the store `login --store auto` would choose; null when it would fail (a locked keychain) */
    autoStore: "keychain" | "memory" | null;
    /** the daemon's DBUS_SESSION_BUS_ADDRESS, null when unset */
    bus: string | null;
    /** how long each keychain call may take before the keychain counts as unavailable */
    timeoutMs: number;
  };
  pendingRevocations?: PendingRevocation[];
}

/** POST /v1/daemon/stop: `restart` when a client replaces the daemon (an upgrade, `daemon restart`) */
export interface ShutdownRequest {
  reason?: "shutdown" | "restart";
}

export interface ShutdownResponse {
  stopping: true;
  wiped: Record<string, number>;
  /** the stopping daemon's pid, so a restarting client waits for it to be gone (absent before 0.2.0) */
  pid?: number;
  /**
   * the logged-in session's store and whether the next daemon resumes it (keychain, file) or it is lost (memory); a
   * file session resumes locked, until a login gives its passphrase
   */
  session?: { store: string; resumes: boolean; locked?: boolean } | null;
}

export interface CheckProblem {
  name: string;
  reference: string | null;
  file: string;
  line: number;
  code: string;
  message: string;
  hint: string;
}

export interface CheckResponse {
  project: { root: string; id: string; files: string[] };
  checked: number;
  problems: CheckProblem[];
}

export interface LoginRequest {
  env?: string;
  /** session lifetime in seconds (default 8 h) */
  ttlSeconds?: number;
  /** idle lock in seconds (default 1 h) */
  idleSeconds?: number;
  store?: "auto" | "keychain" | "memory" | "file";
  /** for the file store only: read by the CLI from a terminal or DEVSECRETS_PASSPHRASE_FD */
  passphrase?: string;
  /** Vault/OpenBao to log in to; credentials read by the CLI (env, ~/.vault-token, stdin, no-echo prompt), never argv */
  vault?: VaultLogin;
  /** every vault:// answered by a sandbox value; no Vault is contacted */
  offline?: boolean;
  /** AWS for aws-sm:// and aws-ssm://, as the CLI found it (flags, DEVSECRETS_AWS_PROFILE, AWS_*, user config) */
  aws?: AwsLogin;
}

/** where the daemon's AWS clients get credentials; the daemon reads ~/.aws/* itself for a profile */
export interface AwsLogin {
  profile?: string;
  region?: string;
  /** an emulator or a private endpoint (AWS_ENDPOINT_URL, user config aws.endpoint) */
  endpoint?: string;
  /** access keys the user's environment held at login (AWS_ACCESS_KEY_ID, ...); kept as session secrets */
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
}

export interface VaultLogin {
  address: string;
  namespace?: string;
  /** path of a PEM CA bundle (VAULT_CACERT) */
  caCert?: string;
  auth: "token" | "approle" | "userpass";
  token?: string;
  roleId?: string;
  secretId?: string;
  username?: string;
  password?: string;
  /** the auth method's mount (default: the method's name) */
  mount?: string;
}

export interface SessionInfo {
  id: string;
  env: string;
  store: "keychain" | "memory" | "file";
  createdAt: string;
  expiresAt: string;
  idleSeconds: number;
  idleAt: string;
}

export interface LoginResponse {
  session: SessionInfo;
  /** true when an existing session was kept and extended */
  extended: boolean;
  /** true when the login brought back a file session locked since a daemon restart (same id, expiry, Vault token) */
  unlocked?: boolean;
  notices: Notice[];
}

export interface LogoutResponse {
  loggedOut: boolean;
  wiped: Record<string, number>;
  failed: Record<string, string[]>;
}

export interface KeychainSetRequest {
  cwd: string;
  name: string;
  value: string;
  /** replace a different value already stored under the name; without it that is DS_KEYCHAIN_EXISTS */
  replace?: boolean;
}

export interface KeychainNameRequest {
  cwd: string;
  name: string;
}

export interface KeychainChange {
  name: string;
  /** project variables that reference keychain://NAME (told to subscribers as `rotate`) */
  variables: string[];
  changed: boolean;
}
