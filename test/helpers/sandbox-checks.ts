// Checks of vendor token formats written apart from daemon/sandbox, so a test does not grade the code with itself.
// Rule: different algorithms from the minters' (bitwise CRC, base62 decoding, BigInt base32 decoding).

/** CRC-32/ISO-HDLC computed bit by bit (the minter uses a table) */
export function crc32Bitwise(bytes: Uint8Array): number {
  let crc = ~0 >>> 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

const GMP_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** decodes (rather than encodes, as the minter does) a base62 number in GitHub's dictionary */
export function base62Decode(text: string): number {
  let value = 0;
  for (const char of text) {
    const digit = GMP_BASE62.indexOf(char);
    if (digit < 0) return Number.NaN;
    value = value * 62 + digit;
  }
  return value;
}

/** GitHub/npm: the last 6 characters are the base62 CRC32 of the 30 after the 4-character prefix */
export function hasGithubChecksum(token: string): boolean {
  const entropy = token.slice(4, -6);
  return entropy.length === 30 && base62Decode(token.slice(-6)) === crc32Bitwise(Buffer.from(entropy, "ascii"));
}

/**
 * The account id an AWS access key id carries: base32-decode the 16 characters after the prefix,
 * take the first 6 bytes, mask 0x7fffffffff80, shift right by 7 (the decoding published by
 * security researchers, e.g. "A short note on AWS KEY ID", Tal Be'ery, 2023).
 */
export function awsAccountFromKeyId(keyId: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let value = 0n;
  for (const char of keyId.slice(4)) value = (value << 5n) | BigInt(alphabet.indexOf(char));
  const first48 = value >> 32n; // 80 bits in total; the first 6 bytes are the top 48
  return ((first48 & 0x7fffffffff80n) >> 7n).toString().padStart(12, "0");
}

export { shannonEntropy } from "../../common/token-formats.js";
