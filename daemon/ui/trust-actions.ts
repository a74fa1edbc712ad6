// The dashboard's trust actions on the daemon's trust book: the same listing `devsecrets trust` shows, its digest
// posted back (a stale one is refused, DS_TRUST_STALE), and revocation.
// Rule: the page names a project by the root it was shown; the book keys it by its real path, as the CLI's does; a
// dangerous name's literal value is told by its length, never sent to the page.

import { isReference } from "../resolve/reference-parser.js";
import type { ProjectTrustBook } from "../trust/project-trust.js";
import type { TrustItem } from "../trust/trust-listing.js";
import type { TrustActions } from "./ui-backend.js";

/**
 * What the page shows of an item: a dangerous name's literal is a value the daemon serves once the project is trusted
 * (VAULT_TOKEN=hvs.…, NPM_CONFIG__AUTH=…), and the page never holds a value: its length only, `devsecrets trust` in a
 * terminal shows it. References, settings and file digests are no values and are shown as they are.
 */
function pageText(item: TrustItem): string {
  if (item.kind !== "dangerous-name" || isReference(item.text)) return item.text;
  return `(a literal of ${[...item.text].length} characters: \`devsecrets trust\` in a terminal shows it)`;
}

export function trustActions(book: ProjectTrustBook, findRoot: (cwd: string) => Promise<string>): TrustActions {
  return {
    async listing(root) {
      const state = book.state(await findRoot(root));
      return {
        root: state.root,
        digest: state.listing.digest,
        trusted: state.trusted,
        items: state.listing.items.map((item) => ({
          kind: item.kind,
          text: `${item.name} ${pageText(item)}`,
          file: item.file,
          line: item.line,
        })),
      };
    },
    async trust(root, digest) {
      await book.trust(await findRoot(root), digest);
    },
    async revoke(root) {
      book.revoke(await findRoot(root));
    },
  };
}
