// Compares secret values without leaking, through timing, where they differ or how long they are.
// Rule: every comparison of a secret value in the daemon goes through equalSecrets, never === or Buffer.equals.

import { createHash, timingSafeEqual } from "node:crypto";

type Comparable = string | Buffer | Uint8Array | { reveal(): string };

function digest(value: Comparable): Buffer {
  const bytes =
    typeof value === "string"
      ? Buffer.from(value, "utf8")
      : "reveal" in value
        ? Buffer.from(value.reveal(), "utf8")
        : value;
  return createHash("sha256").update(bytes).digest();
}

/** true when a and b hold the same bytes; both sides are hashed first so equal-length digests hide the lengths */
export function equalSecrets(a: Comparable, b: Comparable): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
