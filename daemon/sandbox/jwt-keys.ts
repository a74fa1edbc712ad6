// Per-session JWT signing material: one HS256 secret, one RS256 and one ES256 key pair, made on first use.
// Rule: keys live only in the SandboxSession; the wipe zeroes the HS256 secret and drops the key objects.

import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import type { JWK } from "jose";
import type { SandboxSession } from "./sandbox-kind.js";

export type AsymmetricAlg = "RS256" | "ES256";

export interface SessionKeyPair {
  alg: AsymmetricAlg;
  /** the RFC 7638 thumbprint of the public key */
  kid: string;
  privateKey: KeyObject;
  publicJwk: JWK;
}

export interface SessionHmacSecret {
  /** the secret as apps receive it: base64url of 32 random bytes (256 bits) */
  text: string;
  /** the HMAC key: the UTF-8 bytes of `text`, which is what `jwt.verify(token, process.env.X)` uses */
  key: Buffer;
}

/** session key under which the algorithms with a key pair are listed, in creation order */
const INDEX_KEY = "jwt/index";

export function sessionHmacSecret(session: SandboxSession): SessionHmacSecret {
  return session.getOrCreate(
    "jwt/hs256",
    () => {
      const text = randomBytes(32).toString("base64url");
      return { text, key: Buffer.from(text, "utf8") };
    },
    (secret) => {
      secret.key.fill(0);
    },
  );
}

export function sessionKeyPair(session: SandboxSession, alg: AsymmetricAlg): SessionKeyPair {
  return session.getOrCreate(`jwt/${alg.toLowerCase()}`, () => {
    const pair = createKeyPair(alg);
    createdAlgs(session).push(alg);
    return pair;
  });
}

/** the key pairs this session has already made; never creates one */
export function existingKeyPairs(session: SandboxSession): SessionKeyPair[] {
  return createdAlgs(session).map((alg) => sessionKeyPair(session, alg));
}

function createdAlgs(session: SandboxSession): AsymmetricAlg[] {
  return session.getOrCreate(INDEX_KEY, () => [] as AsymmetricAlg[]);
}

function createKeyPair(alg: AsymmetricAlg): SessionKeyPair {
  const { privateKey, publicKey } =
    alg === "RS256"
      ? generateKeyPairSync("rsa", { modulusLength: 2048 })
      : generateKeyPairSync("ec", { namedCurve: "P-256" });
  const exported = publicKey.export({ format: "jwk" }) as JWK;
  const kid = thumbprint(exported);
  return { alg, kid, privateKey, publicJwk: { ...exported, kid, alg, use: "sig" } };
}

/** RFC 7638: SHA-256 over the required members in lexicographic order, base64url */
function thumbprint(jwk: JWK): string {
  const required =
    jwk.kty === "RSA" ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  return createHash("sha256").update(JSON.stringify(required)).digest("base64url");
}
