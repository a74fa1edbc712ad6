// keychain://NAME: a value the user stored with `devsecrets set NAME`, scoped to the project.
// Rule: needs a logged-in session; read from the session's store on every request, never cached.

import { DevsecretsError } from "../../common/errors.js";
import type { SessionManager } from "../session/session-manager.js";
import { validateKeychainName } from "../session/stores/keychain-names.js";
import type { Provider } from "../resolve/provider.js";

export function keychainProvider(sessions: SessionManager): Provider {
  return {
    async resolve(ref, context) {
      const { store } = sessions.requireLogin(`${context.where}: ${ref.raw}`);
      const name = validateKeychainName(ref.path);
      const value = await store.getValue(context.projectId, name);
      if (value === null) {
        throw new DevsecretsError(
          "DS_REF_NOT_FOUND",
          `${context.where}: keychain://${name} is not set for this project`,
          {
            hint: `run \`devsecrets set ${name}\` in the project (it reads the value without echo)`,
          },
        );
      }
      return value;
    },
  };
}
