// While a file session waits for its passphrase (after a daemon restart), the schemes that need the login refuse with
// DS_SESSION_LOCKED instead of answering with a sandbox stand-in: a real value silently replaced by a fake is worse.
// Rule: wraps providers, keeps no state; sandbox:// and env:// never need a login and are not wrapped.

import type { DevsecretsError } from "../../common/errors.js";
import type { Provider } from "../resolve/provider.js";

export interface LockedSessions {
  lockedError(what: string): DevsecretsError | null;
}

export function refuseWhileLocked(sessions: LockedSessions, provider: Provider): Provider {
  return {
    resolve(ref, context) {
      const locked = sessions.lockedError(`${context.where}: ${ref.raw}`);
      if (locked) return Promise.reject(locked);
      return provider.resolve(ref, context);
    },
  };
}
