// Signing of sandbox JWTs: default claims, or the caller's claims with iat/exp filled in when absent.
// Rule: every token carries a random jti unless the caller gave one, so no two mints are equal.

import { randomUUID } from "node:crypto";
import type { JWTPayload } from "jose";
import type { KeyObject } from "node:crypto";
import type { MintContext } from "./sandbox-kind.js";

export const DEFAULT_SUBJECT = "devsecrets-sandbox";
export const DEFAULT_LIFETIME_SECONDS = 3600;

export function tokenClaims(context: MintContext): JWTPayload {
  const iat = Math.floor(context.now().getTime() / 1000);
  const base: JWTPayload = { sub: DEFAULT_SUBJECT, iat, exp: iat + DEFAULT_LIFETIME_SECONDS, jti: randomUUID() };
  if (context.claims === undefined) return base;
  return { iat, exp: iat + DEFAULT_LIFETIME_SECONDS, jti: base.jti, ...context.claims } as JWTPayload;
}

export async function signToken(
  claims: JWTPayload,
  alg: "HS256" | "RS256" | "ES256",
  key: KeyObject | Uint8Array,
  kid?: string,
): Promise<string> {
  const header = kid === undefined ? { alg, typ: "JWT" } : { alg, typ: "JWT", kid };
  // jose loads on the first signature, not at daemon start
  const { SignJWT } = await import("jose");
  return new SignJWT(claims).setProtectedHeader(header).sign(key);
}
