// Which byte strings stand for a served value in a child's output: the value itself and the encodings it is often printed in.
// Rule: short values are never patterns (they would mask ordinary text); encodings only for values long enough to be unambiguous.

export interface MaskSecret {
  name: string;
  value: string;
}

export interface MaskPattern {
  bytes: Buffer;
  /** what replaces it: `****NAME` */
  replacement: Buffer;
}

/** values shorter than this (in bytes) are not masked at all */
export const MIN_VALUE_BYTES = 6;
/** values at least this long (in bytes) are also masked in base64, URL and JSON forms */
export const MIN_ENCODED_BYTES = 8;

/** one pattern per distinct byte string; the first secret that yields a string names it */
export function maskPatterns(secrets: readonly MaskSecret[]): MaskPattern[] {
  const byText = new Map<string, MaskPattern>();
  for (const { name, value } of secrets) {
    const raw = Buffer.from(value, "utf8");
    if (raw.length < MIN_VALUE_BYTES) continue;
    const replacement = Buffer.from(`****${name}`, "utf8");
    const forms: Buffer[] = [raw];
    if (raw.length >= MIN_ENCODED_BYTES) {
      const base64 = raw.toString("base64").replace(/=+$/, "");
      forms.push(Buffer.from(base64, "latin1"));
      // the last character of unpadded base64 also carries bits of whatever follows the value
      // (`echo "$TOKEN" | base64` encodes a newline after it): the characters the value alone decides
      const whole = Math.floor((raw.length * 8) / 6);
      if (whole < base64.length) forms.push(Buffer.from(base64.slice(0, whole), "latin1"));
      forms.push(Buffer.from(encodeURIComponent(value), "utf8"));
      forms.push(Buffer.from(JSON.stringify(value).slice(1, -1), "utf8"));
    }
    for (const bytes of forms) {
      const key = bytes.toString("latin1");
      if (!byText.has(key)) byText.set(key, { bytes, replacement });
    }
  }
  return [...byText.values()];
}
