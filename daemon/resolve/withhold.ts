// Which of a project's variables an answer withholds: the names that change how programs run (LD_PRELOAD,
// NODE_OPTIONS, PS1, ...) unless the project is trusted, and DEVSECRETS_* always (a project never steers devsecrets).
// Rule: one decision for run, env, direnv and every shim: the daemon leaves the name out and says so once, by name.

import { dangerousName } from "../../common/dangerous-names.js";
import type { Notices, TrustVerdict } from "./provider.js";

export interface Withheld {
  name: string;
  /** why the name is dangerous, from common/dangerous-names.ts */
  why: string;
  /** "devsecrets.env:4" */
  where: string;
}

/** why `name` is withheld in a project of this trust, or null when it may be served */
export function withholdReason(name: string, trust: TrustVerdict): string | null {
  const row = dangerousName(name);
  if (!row) return null;
  if (row.pattern === "DEVSECRETS_*") return row.why;
  return trust.trusted ? null : row.why;
}

/** the notice a client prints on stderr for one withheld name */
export function noticeWithheld(notices: Notices, withheld: Withheld, trusted: boolean): void {
  notices.add(
    "DS_NAME_WITHHELD",
    trusted
      ? `${withheld.name} (${withheld.where}) withheld: a project never sets devsecrets' own settings`
      : `${withheld.name} (${withheld.where}) withheld: the project is not trusted and ${withheld.why}; \`devsecrets trust\` allows it`,
  );
}
