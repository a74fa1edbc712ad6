// sandbox://jwt/hs256: the session's HS256 signing secret; with claims (sandbox mint --claims), a token signed with it.
// Rule: one secret per session, so the app verifying and the CLI minting test tokens agree.

import type { SandboxKind } from "../sandbox-kind.js";
import { sessionHmacSecret } from "../jwt-keys.js";
import { signToken, tokenClaims } from "../jwt-sign.js";
import { singleValue } from "../minted.js";

export const jwtHs256: SandboxKind = {
  kind: "jwt/hs256",
  summary: "the session's HS256 secret (base64url of 32 bytes); with --claims, an HS256 token signed with it",
  fields: ["value"],
  options: {},
  async mint(_options, context) {
    const secret = sessionHmacSecret(context.session);
    if (context.claims === undefined) return singleValue(secret.text);
    return singleValue(await signToken(tokenClaims(context), "HS256", secret.key));
  },
};
