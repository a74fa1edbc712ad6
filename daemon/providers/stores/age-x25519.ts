// age X25519 keys from node:crypto, for the sops:// identity: an identity is the 32-byte X25519 scalar in bech32 with
// the prefix "age-secret-key-", upper-cased (AGE-SECRET-KEY-1...); its recipient is the public key with the prefix
// "age" (age1...), as age's spec (C2SP age.md, "The X25519 recipient type") writes them.
// Why not the age-encryption package (DESIGN names it): it pulls in @noble/* with post-quantum code, 6.1 MB of a 20 MB
// core install (docs/install-size.md), for two operations node:crypto has; @scure/base (160 KB) gives bech32.

import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";

type Bech32 = typeof import("@scure/base")["bech32"];
let bech32Module: Promise<Bech32> | null = null;
/** @scure/base is loaded on the first key command only (the daemon imports this module at start) */
const loadBech32 = (): Promise<Bech32> => (bech32Module ??= import("@scure/base").then((m) => m.bech32));

const IDENTITY_PREFIX = "age-secret-key-";
const RECIPIENT_PREFIX = "age";
/** PKCS#8 DER of an X25519 private key up to its 32 raw bytes (RFC 8410: OID 1.3.101.110) */
const PKCS8_X25519_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");

/** the raw 32 bytes of a JWK field (base64url) */
const rawOf = (field: string | undefined): Uint8Array => {
  const bytes = Buffer.from(field ?? "", "base64url");
  if (bytes.length !== 32) throw new Error("an X25519 key is not 32 bytes");
  return bytes;
};

const recipientOf = (bech32: Bech32, privateKey: KeyObject): string =>
  bech32.encode(
    RECIPIENT_PREFIX,
    bech32.toWords(rawOf(createPublicKey(privateKey).export({ format: "jwk" }).x)),
    false,
  );

/** a new identity, AGE-SECRET-KEY-1... */
export async function generateIdentity(): Promise<string> {
  const bech32 = await loadBech32();
  const { privateKey } = generateKeyPairSync("x25519");
  const scalar = rawOf(privateKey.export({ format: "jwk" }).d);
  try {
    return bech32.encode(IDENTITY_PREFIX, bech32.toWords(scalar), false).toUpperCase();
  } finally {
    scalar.fill(0);
  }
}

/** the recipient (age1...) of an identity; throws on a bad checksum, another prefix or a wrong length */
export async function identityToRecipient(identity: string): Promise<string> {
  const bech32 = await loadBech32();
  // bech32 rejects mixed case; age writes identities upper-case and reads them in either case
  const { prefix, words } = bech32.decode(identity.toLowerCase(), false);
  if (prefix !== IDENTITY_PREFIX) throw new Error("not an age identity (AGE-SECRET-KEY-1...)");
  const scalar = bech32.fromWords(words);
  if (scalar.length !== 32) throw new Error("an age X25519 identity holds 32 bytes");
  const der = Buffer.concat([PKCS8_X25519_PREFIX, scalar]);
  try {
    return recipientOf(bech32, createPrivateKey({ key: der, format: "der", type: "pkcs8" }));
  } finally {
    der.fill(0);
    scalar.fill(0);
  }
}
