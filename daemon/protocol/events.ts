// The events of GET /v1/events (and the dashboard's stream), as one union: the daemon publishes them, `devsecrets
// events` prints them, shims follow `rotate` and `wipe` and ignore any other type (a shared vector pins that).
// Rule: names, references, codes, counts and times only, never a value; protocol data only (no handlers).

/** an audit entry as the stream shows it: the trail's own fields but `prev` and `hash` */
export interface AuditEventEntry {
  seq: number;
  time: string;
  action: string;
  session: string;
  reference?: string;
  variable?: string;
  outcome: "ok" | "denied" | "error";
  pid?: number;
  exe?: string;
  detail?: Record<string, string | number | boolean>;
}

export type DaemonEvent =
  /** values behind these variables changed (sandbox rotation, keychain set, Vault KV watch); shims re-resolve */
  | { type: "rotate"; names: string[]; references: string[] }
  /** the session's material was wiped: logout, expiry, idle, restart, shutdown */
  | { type: "wipe"; reason: string }
  /** the session ends (`session`) or locks for idleness (`idle`) at `at`, in `inSeconds` */
  | { type: "expiring"; what: "session" | "idle"; at: string; inSeconds: number }
  /** a resolve failed: where (the caller's cwd, the project root when it was found), the code, message and hint */
  | { type: "resolve-failed"; cwd: string; root: string | null; code: string; message: string; hint: string }
  /** entries were appended to the audit trail, in one write (a resolve's serve entries come as one event) */
  | { type: "audit"; entries: AuditEventEntry[] };

export type DaemonEventType = DaemonEvent["type"];

/** every type the daemon sends; a client meeting another one ignores it */
export const EVENT_TYPES: readonly DaemonEventType[] = ["rotate", "wipe", "expiring", "resolve-failed", "audit"];

/** what `devsecrets events --json` prints, one a line: the type, when the daemon sent it, the rest as data */
export interface EventLine {
  event: string;
  time: string;
  data: Record<string, unknown>;
}

/** one event as a server-sent-events block: `event: TYPE` and the data (with the daemon's `time`) as one JSON line */
export function eventBlock(event: DaemonEvent, time: string): string {
  const { type, ...data } = event;
  return `event: ${type}\ndata: ${JSON.stringify({ ...data, time })}\n\n`;
}
