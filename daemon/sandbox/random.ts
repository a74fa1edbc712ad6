// Crypto-random strings over fixed alphabets, and the checksum encodings vendors put in tokens.
// Rule: every byte of entropy comes from node:crypto; no Math.random, no modulo bias.

import { randomBytes } from "node:crypto";

export const DIGITS = "0123456789";
export const HEX = "0123456789abcdef";
/** GitHub's and npm's base62 dictionary: digits, upper, lower (the "GMP" order) */
export const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** RFC 4648 base32, the alphabet of AWS access key ids */
export const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
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

const CRC_TABLE = buildCrcTable();

function buildCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** CRC-32 (IEEE 802.3, the one of zlib and GitHub's token checksum) of the string's ASCII bytes */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, "latin1")) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** a non-negative integer in base62 (BASE62 order), left-padded with '0' to `width` */
export function base62Encode(value: number, width: number): string {
  let n = value;
  let out = "";
  do {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(width, "0");
}

/**
 * GitHub's token layout (also npm's): prefix + 30 random base62 + 6-char base62 CRC32 of those 30.
 * https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/
 */
export function checksummedToken(prefix: string, entropyChars = 30): string {
  const entropy = randomString(BASE62, entropyChars);
  return prefix + entropy + base62Encode(crc32(entropy), 6);
}
