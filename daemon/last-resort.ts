// The daemon's last line against a bug: an unexpected throw or rejection is answered, logged and survived.
// Rule: the log keeps the error's name and stack frames, never its message line or a value; an exit it forces wipes first.

import { errorFields } from "./error-fields.js";
import type { Logger } from "./log.js";

export interface LastResortDeps {
  log: Logger;
  /** answers the request the error belongs to with DS_INTERNAL; false when it belongs to none still open */
  answer: () => boolean;
  /** the wipe before a forced exit (reason "fault") */
  wipe: () => Promise<unknown>;
  /** ends the process (main.ts is the only module that does) */
  exit: (code: number) => void;
  /** more than `burst` unexpected errors within `windowMs` means the process is no longer to be trusted */
  burst?: number;
  windowMs?: number;
  /** the most a forced exit waits for its wipe */
  wipeTimeoutMs?: number;
}

/** the exit status of a forced exit: EX_SOFTWARE, "internal software error" */
export const FAULT_EXIT_CODE = 70;

export function installLastResort(deps: LastResortDeps): void {
  const burst = deps.burst ?? 10;
  const windowMs = deps.windowMs ?? 60_000;
  const recent: number[] = [];
  let ending = false;

  const forceExit = async (): Promise<void> => {
    ending = true;
    deps.log.error("fault-exit", { reason: `more than ${burst} unexpected errors within ${windowMs / 1000} s` });
    // the wipe first, bounded: a wipe that hangs must not keep a process nobody trusts alive
    const bound = new Promise((resolve) => setTimeout(resolve, deps.wipeTimeoutMs ?? 10_000).unref());
    await Promise.race([deps.wipe().catch(() => {}), bound]);
    deps.exit(FAULT_EXIT_CODE);
  };

  const handle = (kind: "exception" | "rejection") => (error: unknown) => {
    let answered = false;
    try {
      answered = deps.answer();
    } catch {
      // the socket may be gone already; the log line below still says what happened
    }
    deps.log.error("unexpected-error", { kind, answered, ...errorFields(error) });
    if (ending) return;
    const now = Date.now();
    recent.push(now);
    while (recent.length > 0 && (recent[0] as number) < now - windowMs) recent.shift();
    if (recent.length > burst) void forceExit();
  };
  process.on("uncaughtException", handle("exception"));
  process.on("unhandledRejection", handle("rejection"));
}
