// The dashboard's trust actions on the daemon's trust book: the same listing `devsecrets trust` shows, its digest
// posted back (a stale one is refused, DS_TRUST_STALE), and revocation.
// Rule: the page names a project by the root it was shown; the book keys it by its real path, as the CLI's does.

import type { ProjectTrustBook } from "../trust/project-trust.js";
import type { TrustActions } from "./ui-backend.js";

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
          text: `${item.name} ${item.text}`,
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
