// vault://MOUNT/PATH[?version=N]#FIELD on the embedded default: no Vault configured, so a sandbox value answers.
// Rule: said once per request as a notice; the stand-in has the shape of ?sandbox=KIND, else random/password.

import { parseReference } from "../resolve/reference-parser.js";
import { valueIdentity } from "../resolve/reference.js";
import { findKind } from "../sandbox/registry.js";
import { mintForReference } from "./sandbox-provider.js";
import type { Provider } from "./provider.js";

export const vaultStandInProvider: Provider = {
  async resolve(ref, context) {
    context.notices.add("DS_VAULT_SANDBOX", "no Vault is configured: vault:// references are answered by sandbox values");
    const kindPath = ref.query.sandbox ?? "random/password";
    const multiField = (findKind(kindPath)?.fields.length ?? 1) > 1;
    const standIn = parseReference(`sandbox://${kindPath}${multiField && ref.field ? `#${ref.field}` : ""}`, context.where);
    // a multi-field stand-in shares one mint across fields; a one-field stand-in gives each field its own value
    const identity = multiField ? valueIdentity(ref) : `${valueIdentity(ref)}#${ref.field ?? ""}`;
    return mintForReference(standIn, context, identity);
  },
};
