// The body of POST /v1/guard/fingerprints: what the scanner needs to recognise served values in files.
// Rule: hashes and lengths only; never a value, never a key that could recover one.

export interface FingerprintEntry {
  /** UTF-8 byte length of the value */
  length: number;
  /** hex SHA-256 of salt || value bytes */
  hash: string;
  /** top 16 bits of the polynomial hash (base, mod 2^32) of the value bytes: a pre-check before SHA-256 */
  check: number;
  /** the same pre-check of the value's first 8 bytes: one sliding window finds candidates for every length */
  head: number;
  /** the sandbox kind for a sandbox token, null for a real value */
  sandboxKind: string | null;
}

export interface FingerprintsResponse {
  /** hex, random per session */
  salt: string;
  precheck: { base: number; modulus: number; bits: 16 };
  entries: FingerprintEntry[];
}
