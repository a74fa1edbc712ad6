// The answer of `devsecrets trust` before the user decides: the listing, the project id and its origin, and how many
// of the keychain names it references already hold a value under that id (a repository claiming another project's
// origin shows up here). Rule: names, references and settings only; a keychain value is looked up, never read out.

import { normaliseRemoteUrl, validateKeychainName } from "../session/stores/keychain-names.js";
import type { TrustShowResponse } from "../protocol/trust-messages.js";
import type { TrustVerdict } from "../resolve/provider.js";
import { untrustedError, type ProjectTrustBook, type TrustState } from "./project-trust.js";

export interface TrustReportDeps {
  projectId: (root: string) => Promise<string>;
  origin: (root: string) => Promise<string | null>;
  /** whether keychain://NAME holds a value under the id; null when nobody is logged in */
  keychainHas: (projectId: string, name: string) => Promise<boolean | null>;
}

export async function reportTrust(state: TrustState, deps: TrustReportDeps): Promise<TrustShowResponse> {
  const [projectId, origin] = await Promise.all([deps.projectId(state.root), deps.origin(state.root)]);
  const untrusted = new Set(state.untrusted.map((item) => item.hash));
  return {
    root: state.root,
    projectId,
    origin: origin === null ? null : normaliseRemoteUrl(origin),
    keychainItems: await countKeychainItems(state, projectId, deps),
    trusted: state.trusted,
    reason: state.reason,
    trustedAt: state.trustedAt,
    items: state.listing.items.map(({ hash, ...item }) => ({ ...item, trusted: !untrusted.has(hash) })),
    digest: state.listing.digest,
  };
}

async function countKeychainItems(state: TrustState, projectId: string, deps: TrustReportDeps): Promise<number | null> {
  const names = new Set<string>();
  for (const item of state.listing.items) {
    if (item.kind !== "reference" || !item.text.startsWith("keychain://")) continue;
    try {
      names.add(validateKeychainName(decodeURIComponent(item.text.slice("keychain://".length))));
    } catch {
      // a malformed name holds nothing; the resolver names its error
    }
  }
  let count = 0;
  for (const name of names) {
    const has = await deps.keychainHas(projectId, name);
    if (has === null) return null;
    if (has) count++;
  }
  return count;
}

/** the resolver's view of a project's trust */
export function verdictOf(book: ProjectTrustBook, root: string): TrustVerdict {
  const state = book.state(root);
  return { trusted: state.trusted, refuse: (what) => untrustedError(state, what) };
}
