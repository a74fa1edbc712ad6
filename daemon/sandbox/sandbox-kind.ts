// The interface every sandbox minter implements, one module per kind under kinds/.
// Rule: a minter returns Secrets and never logs; per-session key material lives in SandboxSession.

import type { Secret } from "../../common/secret.js";

export type OptionSpec =
  | { type: "int"; min: number; max: number; default?: number; description: string }
  | { type: "enum"; values: readonly string[]; default?: string; description: string }
  | { type: "pattern"; pattern: RegExp; example: string; default?: string; description: string }
  | { type: "list"; pattern: RegExp; example: string; default?: string; description: string };

export type OptionValues = Readonly<Record<string, string | number | string[] | undefined>>;

/** one mint: a single value, or several fields minted together (aws/access-key: id + secret) */
export type Minted = { value: Secret } | { fields: Readonly<Record<string, Secret>> };

/**
 * Key material that lives as long as one session (a JWT signing key, the dev CA).
 * `getOrCreate` returns the same object for the same key until the session is wiped,
 * when each registered `destroy` runs (zero buffers, remove files).
 */
export interface SandboxSession {
  getOrCreate<T>(key: string, create: () => T, destroy?: (value: T) => void | Promise<void>): T;
}

/** what a minter of real, revocable credentials (a PostgreSQL role) needs from the daemon */
export interface MintLedger {
  /** the serving session's id, recorded with each journal entry */
  sessionId: string;
  /** when the session ends: the latest a credential may stay valid */
  expiresAt: Date;
  /** the project root, for project settings (devsecrets.json) */
  projectRoot: string | null;
  /** the daemon's environment (settings such as DEVSECRETS_PG_ADMIN_URL; no secrets) */
  env: Readonly<Record<string, string | undefined>>;
  /** journal an item before it exists; ids and non-secret coordinates only */
  record(entry: {
    id: string;
    kind: string;
    data?: Record<string, string>;
    origin?: { host?: string; port?: string; user?: string; db?: string };
  }): void;
}

export interface MintContext {
  session: SandboxSession;
  now: () => Date;
  /** present when the daemon mints; absent in pure unit tests of fake kinds */
  ledger?: MintLedger;
  /** JWT claims from `sandbox mint jwt/... --claims`; undefined otherwise */
  claims?: Record<string, unknown>;
  /** the machine's registry of minted fakes (fingerprints), so `scan` knows them after the session; daemon only */
  registry?: MintRecorder;
  /** the daemon's sandbox services (redis-server, ...), started on first use; daemon only */
  services?: ServiceStarter;
}

/** starts a sandbox service once per daemon and answers where its loopback proxy listens and what it enforces */
export interface ServiceStarter {
  start(
    service: string,
    sessionId: string,
  ): Promise<{ host: string; port: number; values: Readonly<Record<string, string>> }>;
  /** an AWS key pair minted in this daemon: the sandbox AWS emulator (moto) knows it from now on, while it runs */
  registerAwsKey?(id: string, secret: string): Promise<void>;
  /** a running service's private Unix socket and the values it enforces now (PostgreSQL's superuser login), or null */
  privateAccess?(service: string): { socket: string; values: Readonly<Record<string, string>> } | null;
  /** temporary AWS credentials minted in this daemon: the emulator accepts the pair only with this session token */
  registerAwsSession?(id: string, secret: string, token: string): Promise<void>;
}

/** where a mint's values are remembered by fingerprint (common/minted-registry.ts) */
export interface MintRecorder {
  remember(kind: string, values: readonly string[]): unknown;
  /** a live kind's values: held apart until its server or role is gone, then registered like the others */
  holdLive?(kind: string, values: readonly string[]): unknown;
}

export interface SandboxKind {
  /** "stripe/secret-key": vendor/what, the path of a sandbox:// reference */
  readonly kind: string;
  readonly summary: string;
  /** ["value"] for one-field kinds; ["id", "secret"] etc. for multi-field kinds */
  readonly fields: readonly string[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** a real credential on a live server (PostgreSQL, a sandbox service): needs the daemon to mint */
  readonly live?: "postgres" | "service";
  mint(options: OptionValues, context: MintContext): Minted | Promise<Minted>;
}
