// Who asked: the pid a client reports and the executable /proc names for it, for the audit trail.
// Rule: a reported pid is a claim; the audit says "pid" as told, and "exe" only where the platform tells.

import { readlinkSync } from "node:fs";

export interface Caller {
  pid?: number;
  exe?: string;
}

export function callerFromPid(header: string | undefined): Caller {
  const pid = Number.parseInt(header ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0) return {};
  try {
    return { pid, exe: readlinkSync(`/proc/${pid}/exe`) };
  } catch {
    return { pid };
  }
}
