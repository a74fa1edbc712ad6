// Token formats that both the sandbox (which mints) and `scan` (which recognises) must agree on.
// Rule: pure functions and constants; no randomness here (minting lives in daemon/sandbox/random.ts).

/** GitHub's and npm's base62 dictionary: digits, upper, lower (the "GMP" order) */
export const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** RFC 4648 base32, the alphabet of AWS access key ids */
export const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/** the account id of AWS's own documentation examples; the default, so a fake names no real account */
export const EXAMPLE_ACCOUNT_ID = "123456789012";

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

/** the 12-digit account id carried in bits 46..7 of an access key id issued since 2019 */
export function awsKeyAccount(keyId: string): string | null {
  let value = 0n;
  for (const char of keyId.slice(4, 14)) {
    const index = BASE32.indexOf(char);
    if (index < 0) return null;
    value = (value << 5n) | BigInt(index);
  }
  // 10 base32 characters = 50 bits; the first 48 of them are the head
  const head = value >> 2n;
  if (head >> 47n !== 1n) return null;
  const account = (head >> 7n) & ((1n << 40n) - 1n);
  return account.toString().padStart(12, "0");
}

/** Shannon entropy of the text's characters (code points), in bits per character, as gitleaks computes it */
export function shannonEntropy(text: string): number {
  const chars = [...text];
  const counts = new Map<string, number>();
  for (const char of chars) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / chars.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * GitHub's and npm's checksum: the last 6 characters are the base62 CRC32 of the 30 after the 4-character prefix
 * (ghp_, gho_, ghu_, ghs_, ghr_, npm_). Every token those vendors issue carries it, so a token without it was typed
 * by hand (a placeholder, a documentation example) and cannot be a live one.
 */
export function hasTokenChecksum(token: string): boolean {
  if (token.length !== 40) return false;
  return base62Encode(crc32(token.slice(4, 34)), 6) === token.slice(34);
}
