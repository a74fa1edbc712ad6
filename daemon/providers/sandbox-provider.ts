// sandbox://KIND[/VARIANT][?opts][#FIELD]: a minted stand-in credential, the same for the whole session.
// Rule: fields of one reference come from one mint (#id and #secret match).

import { valueIdentity } from "../resolve/reference.js";
import { mintKind, selectField } from "../sandbox/mint.js";
import type { Secret } from "../../common/secret.js";
import type { Reference } from "../resolve/reference.js";
import type { Provider, ResolveContext } from "./provider.js";

export async function mintForReference(
  ref: Reference,
  context: ResolveContext,
  identity = valueIdentity(ref),
): Promise<Secret> {
  const session = context.session;
  const { kind, minted } = await session.memo(identity, async () => {
    const ledger = session.ledger?.(context.projectRoot);
    const result = await mintKind(ref.path, ref.query, {
      session: session.sandbox,
      now: () => new Date(),
      ...(ledger ? { ledger } : {}),
    });
    session.counts.sandboxTokens++;
    return result;
  });
  return selectField(kind, minted, ref.field, ref.raw);
}

export const sandboxProvider: Provider = {
  resolve: (ref, context) => mintForReference(ref, context),
};
