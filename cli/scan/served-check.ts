// Finds values the daemon served this session in a file's bytes: one window of HEAD_BYTES slides over the file for all
// values at once; where a value's head pre-check matches, its whole-length pre-check, then SHA-256, decide.
// Rule: the daemon's answer holds hashes only; a window is hashed with SHA-256 only when both 16-bit pre-checks match.

import { createHash } from "node:crypto";
import type { FingerprintsResponse } from "../../daemon/protocol/guard-messages.js";
import { HEAD_BYTES } from "../../common/window-hash.js";

export interface ServedHit {
  /** byte offset and length of the window */
  start: number;
  length: number;
  sandboxKind: string | null;
}

interface Candidate {
  length: number;
  /** B^length mod 2^32, to drop the bytes before the window */
  power: number;
  check: number;
  hash: string;
  sandboxKind: string | null;
}

export class ServedMatcher {
  readonly #salt: Buffer;
  readonly #base: number;
  /** 65536 bits: which head pre-checks some fingerprint has */
  readonly #heads = new Uint8Array(8192);
  readonly #byHead = new Map<number, Candidate[]>();
  readonly #byLength = new Map<number, Map<string, string | null>>();
  readonly #headPower: number;

  constructor(answer: FingerprintsResponse) {
    this.#salt = Buffer.from(answer.salt, "hex");
    this.#base = answer.precheck.base;
    this.#headPower = this.#pow(HEAD_BYTES);
    const powers = new Map<number, number>();
    for (const entry of answer.entries) {
      let power = powers.get(entry.length);
      if (power === undefined) powers.set(entry.length, (power = this.#pow(entry.length)));
      this.#heads[entry.head >>> 3] = (this.#heads[entry.head >>> 3] ?? 0) | (1 << (entry.head & 7));
      const bucket = this.#byHead.get(entry.head) ?? [];
      bucket.push({
        length: entry.length,
        power,
        check: entry.check,
        hash: entry.hash,
        sandboxKind: entry.sandboxKind,
      });
      this.#byHead.set(entry.head, bucket);
      const sameLength = this.#byLength.get(entry.length) ?? new Map<string, string | null>();
      sameLength.set(entry.hash, entry.sandboxKind);
      this.#byLength.set(entry.length, sameLength);
    }
  }

  get empty(): boolean {
    return this.#byHead.size === 0;
  }

  /** whether `text` as a whole is a served value: its sandbox kind, null for real, undefined when not served */
  lookup(text: string): string | null | undefined {
    const bytes = Buffer.from(text, "utf8");
    return this.#byLength.get(bytes.length)?.get(createHash("sha256").update(this.#salt).update(bytes).digest("hex"));
  }

  /** every window of the data that is a served value, in order; a value overlapping its own earlier hit is not repeated */
  find(data: Uint8Array): ServedHit[] {
    if (this.#byHead.size === 0 || data.length < HEAD_BYTES) return [];
    const B = this.#base;
    // prefix[i] = polynomial hash of data[0..i) mod 2^32; int32 arithmetic throughout
    const prefix = new Int32Array(data.length + 1);
    let h = 0;
    for (let i = 0; i < data.length; i++) {
      h = (Math.imul(h, B) + (data[i] as number)) | 0;
      prefix[i + 1] = h;
    }
    const hits: ServedHit[] = [];
    const salted = createHash("sha256").update(this.#salt);
    const heads = this.#heads;
    const headPower = this.#headPower;
    const endOf = new Map<string, number>();
    for (let start = 0; start + HEAD_BYTES <= data.length; start++) {
      const head =
        (((prefix[start + HEAD_BYTES] as number) - Math.imul(prefix[start] as number, headPower)) | 0) >>> 16;
      if (((heads[head >>> 3] as number) & (1 << (head & 7))) === 0) continue;
      for (const candidate of this.#byHead.get(head) ?? []) {
        const L = candidate.length;
        if (start + L > data.length || (endOf.get(candidate.hash) ?? 0) > start) continue;
        const check =
          (((prefix[start + L] as number) - Math.imul(prefix[start] as number, candidate.power)) | 0) >>> 16;
        if (check !== candidate.check) continue;
        if (
          salted
            .copy()
            .update(data.subarray(start, start + L))
            .digest("hex") !== candidate.hash
        )
          continue;
        hits.push({ start, length: L, sandboxKind: candidate.sandboxKind });
        endOf.set(candidate.hash, start + L);
      }
    }
    return hits;
  }

  #pow(exponent: number): number {
    let result = 1;
    for (let i = 0; i < exponent; i++) result = Math.imul(result, this.#base);
    return result;
  }
}
