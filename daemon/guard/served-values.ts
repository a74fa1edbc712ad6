// What the session served, remembered without the values: a salted SHA-256, a 16-bit pre-check, the length, the kind.
// Rule: never holds a value; the salt and base are per session and zeroed at the wipe; the answer names no value.

import { randomBytes, randomInt } from "node:crypto";
import type { FingerprintsResponse } from "../protocol/guard-messages.js";
import { HEAD_BYTES, PRECHECK_MODULUS, precheck, saltedHash } from "../../common/window-hash.js";

/** shorter values ("true", "3000") would match everywhere; they are not recorded (and each has a whole head) */
export const MIN_FINGERPRINT_BYTES = HEAD_BYTES;
/** a bound on memory for a long session; the oldest fingerprints go first */
export const MAX_FINGERPRINTS = 20_000;

interface Entry {
  length: number;
  check: number;
  head: number;
  sandboxKind: string | null;
}

export class ServedValues {
  #salt: Buffer = randomBytes(32);
  /** odd, so that multiplying by it is a bijection mod 2^32 */
  #base: number = randomInt(257, 2 ** 31) | 1;
  #entries = new Map<string, Entry>();
  #wiped = false;

  get size(): number {
    return this.#entries.size;
  }

  // the same Secret object is served again and again (a session's values are memoised): hash it once
  #seen = new WeakSet<object>();

  /** records a served Secret once per object; a value read anew (keychain://) is a new object and is hashed again */
  recordSecret(secret: { reveal(): string }, sandboxKind: string | null): void {
    if (this.#seen.has(secret)) return;
    this.#seen.add(secret);
    this.record(secret.reveal(), sandboxKind);
  }

  /** remembers one served value; `sandboxKind` is the kind for a sandbox mint, null for anything real */
  record(value: string, sandboxKind: string | null): void {
    if (this.#wiped) return;
    const bytes = Buffer.from(value, "utf8");
    if (bytes.length < MIN_FINGERPRINT_BYTES) return;
    const hash = saltedHash(this.#salt, bytes);
    const check = precheck(bytes, this.#base);
    const head = precheck(bytes.subarray(0, HEAD_BYTES), this.#base);
    bytes.fill(0);
    const existing = this.#entries.get(hash);
    // once served as real, always real: a sandbox label never hides a real value
    if (existing) {
      if (sandboxKind === null) existing.sandboxKind = null;
      return;
    }
    if (this.#entries.size >= MAX_FINGERPRINTS) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(hash, { length: bytes.length, check, head, sandboxKind });
  }

  /** the fingerprints for one scan; useless without candidate text to hash */
  fingerprints(): FingerprintsResponse {
    return {
      salt: this.#salt.toString("hex"),
      precheck: { base: this.#base, modulus: PRECHECK_MODULUS, bits: 16 },
      entries: [...this.#entries].map(([hash, e]) => ({
        length: e.length,
        hash,
        check: e.check,
        head: e.head,
        sandboxKind: e.sandboxKind,
      })),
    };
  }

  wipe(): void {
    this.#wiped = true;
    this.#salt.fill(0);
    this.#base = 0;
    this.#entries = new Map();
  }
}
