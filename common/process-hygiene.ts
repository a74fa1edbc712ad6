// Keeps a process that holds values (the daemon, the keychain helper, run's Node parent) out of core files and away
// from same-uid debuggers: no core dumps, not dumpable.
// Rule: applied before a secret is in memory (run: right after its one request, so the daemon can still audit its
// caller by /proc/<pid>/exe); a platform that cannot do it is said once, never fatal.

import { loadLibc } from "./native-libc.js";

const PR_SET_DUMPABLE = 4;
const PR_GET_DUMPABLE = 3;
const RLIMIT_CORE = 4;

export interface HygieneResult {
  /** what took effect: "core-limit-0", "not-dumpable" */
  applied: string[];
  /** what could not, with the reason (no values in it) */
  skipped: string[];
}

/** setrlimit(RLIMIT_CORE, {0, 0}) and prctl(PR_SET_DUMPABLE, 0) on Linux */
export function hardenProcess(): HygieneResult {
  const result: HygieneResult = { applied: [], skipped: [] };
  const { libc, reason } = loadLibc();
  if (libc === null) {
    result.skipped.push(`core-limit-0: ${reason}`, `not-dumpable: ${reason}`);
    return result;
  }
  try {
    libc.koffi.struct("ds_rlimit", { cur: "uint64", max: "uint64" });
    const setrlimit = libc.func("int setrlimit(int resource, const ds_rlimit *rlim)");
    if (setrlimit(RLIMIT_CORE, { cur: 0n, max: 0n }) === 0) result.applied.push("core-limit-0");
    else result.skipped.push("core-limit-0: setrlimit failed");
  } catch (error) {
    result.skipped.push(`core-limit-0: ${(error as Error)?.name ?? "error"}`);
  }
  try {
    const prctl = libc.func(
      "int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)",
    );
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) === 0 && prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) === 0)
      result.applied.push("not-dumpable");
    else result.skipped.push("not-dumpable: prctl failed");
  } catch (error) {
    result.skipped.push(`not-dumpable: ${(error as Error)?.name ?? "error"}`);
  }
  return result;
}
