// keychain://NAME: a value the user stored with `devsecrets set NAME`, scoped to the project.
// Rule: needs a logged-in session; the anonymous session answers DS_SESSION_NONE.

import { DevsecretsError } from "../errors.js";
import type { Provider } from "./provider.js";

export const keychainProvider: Provider = {
  async resolve(ref, context) {
    throw new DevsecretsError("DS_SESSION_NONE", `${context.where}: ${ref.raw} needs a session, and nobody is logged in`, {
      hint: "run `devsecrets login`, then `devsecrets set " + ref.path + "`",
    });
  },
};
