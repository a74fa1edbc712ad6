// The user's keychain:// values wired for the composition root: `set` and `unset` (audited) and `ls`, whose listing
// says which keychain names are set.
// Rule: an untrusted project learns nothing of the keychain, not even whether a name is set.

import { keychainEntry } from "../audit/action-entries.js";
import type { AuditLog } from "../audit/audit-log.js";
import type { DaemonCore } from "../daemon-api.js";
import type { Resolver } from "../resolve/resolver.js";
import { KeychainValues, type KeychainValuesDeps } from "./keychain-values.js";

export interface KeychainWiringDeps extends KeychainValuesDeps {
  audit: Pick<AuditLog, "append">;
  /** the project's variables, before the keychain marks its names */
  resolver: Pick<Resolver, "list">;
}

export interface WiredKeychain {
  set: DaemonCore["keychainSet"];
  unset: DaemonCore["keychainUnset"];
  list: DaemonCore["list"];
}

export function wireKeychain(deps: KeychainWiringDeps): WiredKeychain {
  const { audit, resolver } = deps;
  const keychain = new KeychainValues(deps);
  return {
    async set(request, caller = {}) {
      const change = await keychain.set(request.cwd, request.name, request.value, request.replace === true);
      audit.append([keychainEntry("set", deps.session().id, change, caller)]);
      return change;
    },
    async unset(request, caller = {}) {
      const change = await keychain.unset(request.cwd, request.name);
      audit.append([keychainEntry("unset", deps.session().id, change, caller)]);
      return change;
    },
    async list(request) {
      const listing = await resolver.list(request);
      if (listing.trusted !== false) return keychain.markSet(listing);
      for (const v of listing.variables) if (v.source === "keychain") v.set = null;
      return listing;
    },
  };
}
