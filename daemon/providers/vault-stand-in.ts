// vault://MOUNT/PATH[?version=N]#FIELD answered by a sandbox value: no Vault configured, offline, or production in dev.
// Rule: said once per request as a notice; the stand-in has the shape of ?sandbox=KIND, else random/password.

import type { Secret } from "../../common/secret.js";
import type { Provider, ResolveContext } from "../resolve/provider.js";
import { valueIdentity, type Reference } from "../resolve/reference.js";
import { findKind } from "../sandbox/registry.js";
import { mintInSession } from "../sandbox/mint-in-session.js";

/** the sandbox value standing in for a vault:// reference, the same for the whole session */
export function answerWithStandIn(ref: Reference, context: ResolveContext): Promise<Secret> {
  const kindPath = ref.query.sandbox ?? "random/password";
  const multiField = (findKind(kindPath)?.fields.length ?? 1) > 1;
  return mintInSession(context.session, {
    kindPath,
    query: {},
    field: multiField ? ref.field : null,
    // a multi-field stand-in shares one mint across fields; a one-field stand-in gives each field its own value
    identity: multiField ? valueIdentity(ref) : `${valueIdentity(ref)}#${ref.field ?? ""}`,
    reference: ref.raw,
    projectRoot: context.projectRoot,
  });
}

export const vaultStandInProvider: Provider = {
  async resolve(ref, context) {
    context.notices.add(
      "DS_VAULT_SANDBOX",
      "no Vault is configured: vault:// references are answered by sandbox values",
    );
    return answerWithStandIn(ref, context);
  },
};
