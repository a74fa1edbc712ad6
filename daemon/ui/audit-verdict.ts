// `audit verify`'s verdict for the dashboard. Verifying reads the whole trail and a busy page asks for a snapshot
// after each burst of events, so a trail over 1 MiB is verified at most every 10 s; a smaller one at every ask.
// Rule: the verdict says when it was reached, so the page never passes an old one off as new.

import { statSync } from "node:fs";
import { type VerifyResult, verifyAuditFile } from "../../common/audit-verify.js";

export const VERDICT_MAX_AGE_MS = 10_000;
export const ALWAYS_VERIFY_BELOW_BYTES = 1024 * 1024;

export function cachedAuditVerdict(file: string, maxAgeMs = VERDICT_MAX_AGE_MS): () => VerifyResult & { at: string } {
  let last: (VerifyResult & { at: string; ms: number }) | null = null;
  return () => {
    const now = Date.now();
    if (!last || now - last.ms >= maxAgeMs || sizeOf(file) < ALWAYS_VERIFY_BELOW_BYTES)
      last = { ...verifyAuditFile(file), at: new Date(now).toISOString(), ms: now };
    const { ms: _ms, ...verdict } = last;
    return verdict;
  };
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
