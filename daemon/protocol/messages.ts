// Request and response bodies of API v1, shared by the daemon's HTTP edge, the client and the docs.
// Rule: plain JSON types only; values appear only in `variables`, `value` and `fields`.

export interface Notice {
  code: string;
  message: string;
}

export interface SessionSummary {
  expiresAt: string;
}

export interface ResolveRequest {
  /** absolute directory the caller runs in; the project is found by walking up from it */
  cwd: string;
  /** the overlay to apply (devsecrets.<env>.env); default "dev" */
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
  notices: Notice[];
  session: SessionSummary | null;
  project: { root: string; id: string; files: string[] };
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
  source: "literal" | "keychain" | "vault" | "sandbox" | "env";
  /** the reference text for references (no value ever), null for literals */
  reference: string | null;
  file: string;
  line: number;
}

export interface ListRequest {
  cwd: string;
  env?: string;
}

export interface ListResponse {
  project: { root: string; id: string; files: string[] };
  variables: ProjectVariable[];
}

export interface HealthResponse {
  ok: true;
  version: string;
  pid: number;
}

export interface StatusResponse {
  version: string;
  pid: number;
  socket: string;
  startedAt: string;
  uptimeSeconds: number;
  logFile: string;
  session: {
    kind: "anonymous" | "login";
    store: "memory" | "keychain" | "file";
    env: string;
    expiresAt: string | null;
    counts: { valuesServed: number; sandboxTokens: number; leases: number };
  };
}

export interface ShutdownResponse {
  stopping: true;
  wiped: Record<string, number>;
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
