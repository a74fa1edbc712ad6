// sandbox://jwt/es256: a ES256 token signed with the session's P-256 ECDSA key, verifiable with the session JWKS.
// Rule: default claims sub "devsecrets-sandbox", iat, exp +1h, jti; with --claims, those (iat/exp/jti added if absent).

import type { SandboxKind } from "../sandbox-kind.js";
import { sessionKeyPair } from "../jwt-keys.js";
import { signToken, tokenClaims } from "../jwt-sign.js";
import { singleValue } from "../minted.js";

export const jwtEs256: SandboxKind = {
  kind: "jwt/es256",
  summary: "ES256 JWT signed with the session's P-256 ECDSA key (kid = JWK thumbprint), valid 1 hour",
  fields: ["value"],
  options: {},
  async mint(_options, context) {
    const pair = sessionKeyPair(context.session, "ES256");
    return singleValue(await signToken(tokenClaims(context), "ES256", pair.privateKey, pair.kid));
  },
};
