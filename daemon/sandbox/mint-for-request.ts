// `POST /v1/sandbox/mint` (`devsecrets sandbox mint KIND`): a new value on every call, every field answered.
// Rule: only key material (JWT keys, the dev CA) is the session's, so its JWKS verifies what was minted; a value is
// audited (beforeAnswer) before it is counted, fingerprinted for `scan` and answered.

import { DevsecretsError } from "../../common/errors.js";
import type { MintRequest, MintResponse } from "../protocol/messages.js";
import { parseReference } from "../resolve/reference-parser.js";
import type { ServingSession } from "../session/serving-session.js";
import { mintKind } from "./mint.js";

export async function mintForRequest(
  request: MintRequest,
  session: ServingSession,
  beforeAnswer: (reference: string) => void,
): Promise<MintResponse> {
  // the request's KIND[?opts] is the body of a sandbox:// reference, checked by the same parser
  const reference = `sandbox://${request.kind}`;
  const ref = parseReference(reference, "request");
  if (ref.field !== null) {
    throw new DevsecretsError(
      "DS_SANDBOX_FIELD",
      `mint takes a kind without #field, got "${request.kind.slice(0, 80)}"`,
      {
        hint: "mint the kind; every field is printed",
      },
    );
  }
  const ledger = session.ledger?.(null);
  const { kind, minted } = await mintKind(ref.path, ref.query, {
    session: session.sandbox,
    now: () => new Date(),
    ...(ledger ? { ledger } : {}),
    ...(session.registry ? { registry: session.registry } : {}),
    ...(session.services ? { services: session.services } : {}),
    ...(request.claims ? { claims: request.claims } : {}),
  });
  beforeAnswer(reference);
  session.counts.sandboxTokens++;
  // a live kind's password works on a server while the session lasts: `scan` reports it as a real served value
  const servedAs = kind.live ? null : kind.kind;
  if ("value" in minted) {
    if (servedAs !== null || minted.value.secret) session.served.record(minted.value.reveal(), servedAs);
    return { kind: kind.kind, reference, value: minted.value.reveal() };
  }
  const fields: Record<string, string> = {};
  for (const [name, secret] of Object.entries(minted.fields)) {
    fields[name] = secret.reveal();
    if (servedAs !== null || secret.secret) session.served.record(fields[name], servedAs);
  }
  return { kind: kind.kind, reference, fields };
}
