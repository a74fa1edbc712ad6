// A sandbox value for the resolver: a kind minted once per identity for the whole session, and the field asked for.
// Rule: every field asked under one identity comes from one mint (#id and #secret match); a failed mint is not kept.

import type { Secret } from "../../common/secret.js";
import type { ServingSession } from "../session/serving-session.js";
import { mintKind, selectField } from "./mint.js";

export interface SessionMint {
  /** the kind's path, "stripe/secret-key", and its options */
  kindPath: string;
  query: Readonly<Record<string, string>>;
  /** the field to answer; null for a one-field kind */
  field: string | null;
  /** the session's memo key: what shares it shares one mint */
  identity: string;
  /** the reference the user wrote, named in errors */
  reference: string;
  /** the project root, for the kinds' project settings */
  projectRoot: string | null;
}

export async function mintInSession(session: ServingSession, wanted: SessionMint): Promise<Secret> {
  const { kind, minted } = await session.memo(wanted.identity, async () => {
    const ledger = session.ledger?.(wanted.projectRoot);
    const result = await mintKind(wanted.kindPath, wanted.query, {
      session: session.sandbox,
      now: () => new Date(),
      ...(ledger ? { ledger } : {}),
      ...(session.registry ? { registry: session.registry } : {}),
      ...(session.services ? { services: session.services } : {}),
    });
    session.counts.sandboxTokens++;
    return result;
  });
  return selectField(kind, minted, wanted.field, wanted.reference);
}
