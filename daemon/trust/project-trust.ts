// Whether a project is trusted, what trusting it would allow, and the user's decisions (trust, revoke, list).
// Rule: a project is trusted when every item of its listing was trusted for its real root (or it has none, or the
// daemon runs with DEVSECRETS_TRUST_ALL); a trust names the digest it saw, and a stale digest is refused.

import { DevsecretsError } from "../../common/errors.js";
import type { TrustItem, TrustListing, TrustListings } from "./trust-listing.js";
import type { TrustStore } from "./trust-store.js";

export type TrustReason = "trust-all" | "nothing-to-trust" | "trusted" | "never-trusted" | "changed";

export interface TrustState {
  /** the root's real path, the key of trust.json */
  root: string;
  trusted: boolean;
  reason: TrustReason;
  listing: TrustListing;
  /** the items not yet trusted (all of them when never trusted) */
  untrusted: TrustItem[];
  trustedAt: string | null;
}

export interface ProjectTrustDeps {
  listings: TrustListings;
  store: TrustStore;
  projectId: (root: string) => Promise<string>;
  /** DEVSECRETS_TRUST_ALL in the daemon's own environment */
  trustAll: boolean;
  now?: () => Date;
}

const TRUST_HINT = "run `devsecrets trust` in the project to see what it asks for and allow it";

export class ProjectTrustBook {
  constructor(private readonly deps: ProjectTrustDeps) {}

  /** the trust state of the project at `root` (as the resolver found it) */
  state(root: string): TrustState {
    const { real, listing } = this.deps.listings.get(root);
    const record = this.deps.store.get(real);
    const trustedAt = record?.trustedAt ?? null;
    if (this.deps.trustAll)
      return { root: real, trusted: true, reason: "trust-all", listing, untrusted: [], trustedAt };
    if (listing.items.length === 0)
      return { root: real, trusted: true, reason: "nothing-to-trust", listing, untrusted: [], trustedAt };
    const allowed = new Set(record?.items ?? []);
    const untrusted = listing.items.filter((item) => !allowed.has(item.hash));
    if (untrusted.length === 0) return { root: real, trusted: true, reason: "trusted", listing, untrusted, trustedAt };
    return { root: real, trusted: false, reason: record ? "changed" : "never-trusted", listing, untrusted, trustedAt };
  }

  /** throws DS_PROJECT_UNTRUSTED naming what needs trust, for `what` ("devsecrets.env:3: keychain://stripe") */
  require(state: TrustState, what: string): void {
    if (!state.trusted) throw untrustedError(state, what);
  }

  /** records the listing the user saw; refuses it when the files changed since (DS_TRUST_STALE) */
  async trust(root: string, digest: string): Promise<TrustState> {
    const { real, listing } = this.deps.listings.get(root);
    if (listing.digest !== digest) {
      throw new DevsecretsError(
        "DS_TRUST_STALE",
        `the project files in ${real} changed since the listing you saw (digest ${digest.slice(0, 12)}, now ${listing.digest.slice(0, 12)})`,
        { hint: "run `devsecrets trust` again and check the new listing" },
      );
    }
    this.deps.store.set(real, {
      digest,
      items: listing.items.map((item) => item.hash),
      trustedAt: (this.deps.now?.() ?? new Date()).toISOString(),
      projectId: await this.deps.projectId(real),
    });
    return this.state(root);
  }

  /** forgets the project's trust; true when it had one */
  revoke(root: string): boolean {
    return this.deps.store.delete(this.deps.listings.get(root).real);
  }

  list(): { root: string; projectId: string; trustedAt: string; items: number }[] {
    return this.deps.store.entries().map(([root, record]) => ({
      root,
      projectId: record.projectId,
      trustedAt: record.trustedAt,
      items: record.items.length,
    }));
  }
}

/** "devsecrets.env:4 NODE_OPTIONS" / "devsecrets.json vault.address" */
export function describeItem(item: TrustItem): string {
  return item.line > 0 ? `${item.file}:${item.line} ${item.name}` : `${item.file} ${item.name}`;
}

export function untrustedError(state: TrustState, what: string): DevsecretsError {
  const shown = state.untrusted.slice(0, 3).map(describeItem).join(", ");
  const more = state.untrusted.length > 3 ? ` and ${state.untrusted.length - 3} more` : "";
  const why =
    state.reason === "changed"
      ? `the project changed since you trusted it (new or changed: ${shown}${more})`
      : `the project at ${state.root} is not trusted (it asks for: ${shown}${more})`;
  return new DevsecretsError("DS_PROJECT_UNTRUSTED", `${what}: ${why}`, { hint: TRUST_HINT });
}
