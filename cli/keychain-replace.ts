// `set` and `init` storing a keychain value: replacing a different value already stored is asked on a terminal and
// needs --force otherwise (DS_KEYCHAIN_EXISTS), so a folder that shares a project's id cannot overwrite its values.
// Rule: the value travels only to the daemon; the question names the item, never the value.

import { DevsecretsError } from "../common/errors.js";
import type { DaemonClient } from "../daemon/client/client.js";
import type { KeychainChange, KeychainSetRequest } from "../daemon/protocol/messages.js";
import { canAsk, confirm } from "./prompt/confirm.js";

export async function storeKeychainValue(
  client: DaemonClient,
  request: KeychainSetRequest,
  force: boolean,
): Promise<KeychainChange> {
  try {
    return await client.keychainSet({ ...request, ...(force ? { replace: true } : {}) });
  } catch (error) {
    if (!(error instanceof DevsecretsError) || error.code !== "DS_KEYCHAIN_EXISTS" || force || !canAsk()) throw error;
    if (!(await confirm(`keychain://${request.name} already holds another value for this project; replace it?`)))
      throw new DevsecretsError("DS_CANCELLED", `keychain://${request.name} was left as it was`);
    return client.keychainSet({ ...request, replace: true });
  }
}
