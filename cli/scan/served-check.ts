// Finds values the daemon served this session in a file's bytes: every window of each served length, pre-checked, then hashed.
// Rule: the daemon's answer holds hashes only; a window is hashed with SHA-256 only when its 16-bit pre-check matches.

import { createHash } from "node:crypto";
import type { FingerprintsResponse } from "../../daemon/protocol/guard-messages.js";

export interface ServedHit {
  /** byte offset and length of the window */
  start: number;
  length: number;
  sandboxKind: string | null;
}

interface LengthGroup {
  length: number;
  /** B^length mod 2^32, to drop the window's first byte */
  power: number;
  /** 65536 bits: which pre-check values some fingerprint of this length has */
  checks: Uint8Array;
  hashes: Map<string, string | null>;
}

export class ServedMatcher {
  readonly #salt: Buffer;
  readonly #base: number;
  readonly #groups: LengthGroup[];

  constructor(answer: FingerprintsResponse) {
    this.#salt = Buffer.from(answer.salt, "hex");
    this.#base = answer.precheck.base;
    const byLength = new Map<number, LengthGroup>();
    for (const entry of answer.entries) {
      let group = byLength.get(entry.length);
      if (!group) {
        group = { length: entry.length, power: this.#pow(entry.length), checks: new Uint8Array(8192), hashes: new Map() };
        byLength.set(entry.length, group);
      }
      group.checks[entry.check >>> 3] = (group.checks[entry.check >>> 3] ?? 0) | (1 << (entry.check & 7));
      group.hashes.set(entry.hash, entry.sandboxKind);
    }
    this.#groups = [...byLength.values()];
  }

  get empty(): boolean {
    return this.#groups.length === 0;
  }

  /** whether `text` as a whole is a served value: its sandbox kind, null for real, undefined when not served */
  lookup(text: string): string | null | undefined {
    const bytes = Buffer.from(text, "utf8");
    const group = this.#groups.find((g) => g.length === bytes.length);
    if (!group) return undefined;
    return group.hashes.get(createHash("sha256").update(this.#salt).update(bytes).digest("hex"));
  }

  /** every window of the data that is a served value; overlapping hits of one value are not repeated */
  find(data: Uint8Array): ServedHit[] {
    if (this.#groups.length === 0 || data.length === 0) return [];
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
    for (const group of this.#groups) {
      const L = group.length;
      const checks = group.checks;
      const power = group.power;
      for (let start = 0; start + L <= data.length; start++) {
        const check = (((prefix[start + L] as number) - Math.imul(prefix[start] as number, power)) | 0) >>> 16;
        if (((checks[check >>> 3] as number) & (1 << (check & 7))) === 0) continue;
        const digest = salted.copy().update(data.subarray(start, start + L)).digest("hex");
        const kind = group.hashes.get(digest);
        if (kind === undefined) continue;
        hits.push({ start, length: L, sandboxKind: kind });
        start += L - 1;
      }
    }
    return hits.sort((a, b) => a.start - b.start);
  }

  #pow(exponent: number): number {
    let result = 1;
    for (let i = 0; i < exponent; i++) result = Math.imul(result, this.#base);
    return result;
  }
}
