// Session lengths: "8h", "90m", "2s", "1h30m" to seconds, within bounds.
// Rule: a bad duration is a usage error that says the accepted form.

import { DevsecretsError } from "./errors.js";

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

export function parseDuration(text: string, what: string): number {
  const parts = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  const plain = /^\d+$/.test(text.trim());
  if (!text.trim() || (!parts && !plain)) {
    throw new DevsecretsError("DS_USAGE", `${what} "${text.slice(0, 20)}" is not a duration`, {
      hint: "use forms like 8h, 90m, 1h30m or 30s",
    });
  }
  if (plain) return Number(text.trim());
  const [, d, h, m, s] = parts as RegExpExecArray;
  return (
    Number(d ?? 0) * UNIT_SECONDS.d! +
    Number(h ?? 0) * UNIT_SECONDS.h! +
    Number(m ?? 0) * UNIT_SECONDS.m! +
    Number(s ?? 0)
  );
}

export function formatDuration(seconds: number): string {
  if (seconds <= 0) return "0s";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  return [h ? `${h}h` : "", m ? `${m}m` : "", !h && s ? `${s}s` : ""].join("") || "0s";
}
