// The two hashes a served-value fingerprint carries: a 16-bit polynomial pre-check and SHA-256 under a salt.
// Rule: pure functions shared by the daemon (which records) and the scanner (which slides windows); no values kept.

import { createHash } from "node:crypto";

/** the largest prime below 2^26: products of two residues stay below 2^53, exact in a double */
export const PRECHECK_PRIME = 67108859;
export const PRECHECK_MASK = 0xffff;

/** polynomial hash of the bytes mod PRECHECK_PRIME, low 16 bits: a cheap filter, never a verdict */
export function precheck(bytes: Uint8Array, base: number): number {
  let h = 0;
  for (const byte of bytes) h = (h * base + byte) % PRECHECK_PRIME;
  return h & PRECHECK_MASK;
}

/** hex SHA-256 of salt || bytes */
export function saltedHash(salt: Uint8Array, bytes: Uint8Array): string {
  return createHash("sha256").update(salt).update(bytes).digest("hex");
}
