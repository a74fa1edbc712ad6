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

/** why `name` (whose value is `reference`, null for a literal) is withheld in a project of this trust, or null */
export function withholdReason(
  name: string,
  trust: TrustVerdict,
  reference: { scheme: string } | null = null,
): string | null {
  const row = dangerousName(name);
  if (!row) return null;
  if (row.pattern === "DEVSECRETS_*") return row.why;
  if (row.sandboxServed && reference?.scheme === "sandbox") return null;
  return trust.trusted ? null : row.why;
}

/** why, in a sentence: "the project is not trusted and …", or that no project sets DEVSECRETS_* */
export function explainWithheld(name: string, why: string): string {
  return name.startsWith("DEVSECRETS_")
    ? "a project never sets devsecrets' own settings"
    : `the project is not trusted and ${why}; \`devsecrets trust\` allows it`;
}

/** the notice a client prints on stderr for one withheld name */
export function noticeWithheld(notices: Notices, withheld: Withheld): void {
  notices.add(
    "DS_NAME_WITHHELD",
    `${withheld.name} (${withheld.where}) withheld: ${explainWithheld(withheld.name, withheld.why)}`,
  );
}
