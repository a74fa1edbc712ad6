// sandbox://jwt/rs256: a RS256 token signed with the session's RSA 2048 key, verifiable with the session JWKS.
// Rule: default claims sub "devsecrets-sandbox", iat, exp +1h, jti; with --claims, those (iat/exp/jti added if absent).

import type { SandboxKind } from "../sandbox-kind.js";
import { sessionKeyPair } from "../jwt-keys.js";
import { signToken, tokenClaims } from "../jwt-sign.js";
import { singleValue } from "../minted.js";

export const jwtRs256: SandboxKind = {
  kind: "jwt/rs256",
  summary: "RS256 JWT signed with the session's RSA 2048 key (kid = JWK thumbprint), valid 1 hour",
  fields: ["value"],
  options: {},
  async mint(_options, context) {
    const pair = sessionKeyPair(context.session, "RS256");
    return singleValue(await signToken(tokenClaims(context), "RS256", pair.privateKey, pair.kid));
  },
};
