// The two hashes a served-value fingerprint carries: a 16-bit polynomial pre-check and SHA-256 under a salt.
// Rule: pure functions shared by the daemon (which records) and the scanner (which slides windows); no values kept.

import { createHash } from "node:crypto";

/** a pre-check is a polynomial hash mod 2^32 (odd base), top 16 bits: int32 arithmetic, so the scanner's rolling window is cheap */
export const PRECHECK_MODULUS = 2 ** 32;
/**
 * how many leading bytes a fingerprint's `head` pre-check covers: the scanner slides one window of this size over a
 * file for all values at once, instead of one window per distinct value length (the shortest value recorded)
 */
export const HEAD_BYTES = 8;

/** polynomial hash of the bytes mod 2^32, top 16 bits: a cheap filter, never a verdict */
export function precheck(bytes: Uint8Array, base: number): number {
  let h = 0;
  for (const byte of bytes) h = (Math.imul(h, base) + byte) | 0;
  return h >>> 16;
}

/** hex SHA-256 of salt || bytes */
export function saltedHash(salt: Uint8Array, bytes: Uint8Array): string {
  return createHash("sha256").update(salt).update(bytes).digest("hex");
}
