// AWS access key ids in the layout AWS issues today: prefix + 16 base32 chars that carry the account id.
// Rule: the account bits sit where AWS puts them (bits 46..7 of the first 6 bytes), the rest is random.

import { randomBytes } from "node:crypto";
import { BASE32, shannonEntropy } from "../../common/token-formats.js";

export { EXAMPLE_ACCOUNT_ID } from "../../common/token-formats.js";

/**
 * Scanners skip an id whose characters repeat too much (gitleaks' aws-access-token rule wants 3 bits per character).
 * With the prefix and the account fixed, about 1 draw in 4,500 falls under that; such a fake would pass a scanner
 * that its real counterpart might not, so it is drawn again. The account's ten characters stay as they are: an
 * account like 000000000000 leaves too few random characters to ever reach 3 bits, so the draws are bounded and the
 * most varied one is kept.
 */
export const MIN_KEY_ID_ENTROPY = 3;

/**
 * prefix ("AKIA" long-term, "ASIA" temporary) + base32 of 10 bytes whose first 48 bits are
 * 1 | account (40 bits) | 7 random bits, followed by 32 random bits. The leading 1 bit makes the
 * fifth character Q..Z or 2..7, as in every key id issued since 2019.
 */
export function awsAccessKeyId(prefix: "AKIA" | "ASIA", accountId: string): string {
  let best = "";
  let bestEntropy = -1;
  for (let draw = 0; draw < 64; draw++) {
    const id = drawKeyId(prefix, accountId);
    const entropy = shannonEntropy(id);
    if (entropy >= MIN_KEY_ID_ENTROPY) return id;
    if (entropy > bestEntropy) [best, bestEntropy] = [id, entropy];
  }
  return best;
}

function drawKeyId(prefix: "AKIA" | "ASIA", accountId: string): string {
  const bytes = randomBytes(10);
  const account = BigInt(accountId);
  const head = (1n << 47n) | (account << 7n) | BigInt((bytes[5] ?? 0) & 0x7f);
  for (let i = 0; i < 6; i++) bytes[i] = Number((head >> BigInt(8 * (5 - i))) & 0xffn);
  return prefix + base32Encode(bytes);
}

function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}
