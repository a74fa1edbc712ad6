// The order in which the wipe's parts run, as one list (DESIGN "Layout"); the WipeRegistry reads it and nothing else.
// Rule: real credentials go first (while the session that made them is still known), the session record last.

/**
 * vault: the owned Vault token, revoked whole with its leases; revoked: the journaled leases and roles one by one;
 * services: the sandbox services' processes; sandbox: the session's minted material and CA files; jwks-server and ui:
 * the loopback listeners that serve the session; session: the stored session record
 */
export const WIPE_ORDER = ["vault", "revoked", "services", "sandbox", "jwks-server", "ui", "session"] as const;

export type WipePartName = (typeof WIPE_ORDER)[number];

/** the part's place in the wipe, or -1 for a name the list does not hold */
export function wipeRank(name: string): number {
  return (WIPE_ORDER as readonly string[]).indexOf(name);
}
