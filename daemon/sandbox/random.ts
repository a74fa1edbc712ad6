// Crypto-random strings over fixed alphabets, and the checksum encodings vendors put in tokens.
// Rule: every byte of entropy comes from node:crypto; no Math.random, no modulo bias.

import { randomBytes } from "node:crypto";
import { BASE62, base62Encode, crc32 } from "../../common/token-formats.js";

export { BASE32, BASE62 } from "../../common/token-formats.js";

export const DIGITS = "0123456789";
export const HEX = "0123456789abcdef";
export const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
export const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** `length` characters drawn uniformly from `alphabet` (rejection sampling over random bytes) */
export function randomString(alphabet: string, length: number): string {
  if (alphabet.length < 2 || alphabet.length > 256) throw new RangeError("alphabet must have 2..256 characters");
  // the largest multiple of the alphabet size that fits in a byte: bytes at or above it are rejected
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    const bytes = randomBytes(Math.ceil((length - out.length) * 1.3) + 8);
    for (const byte of bytes) {
      if (byte >= limit) continue;
      out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/**
 * GitHub's token layout (also npm's): prefix + 30 random base62 + 6-char base62 CRC32 of those 30.
 * https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/
 */
export function checksummedToken(prefix: string, entropyChars = 30): string {
  const entropy = randomString(BASE62, entropyChars);
  return prefix + entropy + base62Encode(crc32(entropy), 6);
}
