// `audit verify`'s verdict for the dashboard, computed at most every 10 s: verifying reads the whole trail, and a
// busy page asks for a snapshot after each burst of events.
// Rule: the verdict says when it was reached, so the page never passes an old one off as new.

import { type VerifyResult, verifyAuditFile } from "../../common/audit-verify.js";

export const VERDICT_MAX_AGE_MS = 10_000;

export function cachedAuditVerdict(file: string, maxAgeMs = VERDICT_MAX_AGE_MS): () => VerifyResult & { at: string } {
  let last: (VerifyResult & { at: string; ms: number }) | null = null;
  return () => {
    const now = Date.now();
    if (!last || now - last.ms >= maxAgeMs)
      last = { ...verifyAuditFile(file), at: new Date(now).toISOString(), ms: now };
    const { ms: _ms, ...verdict } = last;
    return verdict;
  };
}
