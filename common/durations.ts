// Durations a user types ("8h", "90m", "30s", "1h30m", "2d") to seconds, within bounds, and seconds back to text.
// Rule: a number needs its unit (`--ttl 5` is refused, never read as seconds); a bad or out-of-bounds duration is a
// usage error that names the flag the user typed and the accepted form.

import { DevsecretsError } from "./errors.js";

const UNIT_SECONDS = { d: 86400, h: 3600, m: 60, s: 1 } as const;
const FORMS = "5s, 5m, 8h (or 1h30m, 2d)";

export interface DurationBounds {
  /** the shortest allowed, in seconds (default 1) */
  min?: number;
  /** the longest allowed, in seconds (default none) */
  max?: number;
}

/** `what` is the flag or variable the text came from, as the user wrote it (`--ttl`, `DEVSECRETS_TTL`) */
export function parseDuration(text: string, what: string, bounds: DurationBounds = {}): number {
  const trimmed = text.trim();
  const shown = JSON.stringify(trimmed.slice(0, 20));
  if (/^\d+$/.test(trimmed)) {
    throw new DevsecretsError("DS_USAGE", `${what} ${shown} has no unit`, {
      hint: `a duration needs a unit: ${FORMS}`,
    });
  }
  const parts = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(trimmed);
  if (!trimmed || !parts) {
    throw new DevsecretsError("DS_USAGE", `${what} ${shown} is not a duration`, { hint: `use forms like ${FORMS}` });
  }
  const [, d, h, m, s] = parts;
  const seconds =
    Number(d ?? 0) * UNIT_SECONDS.d +
    Number(h ?? 0) * UNIT_SECONDS.h +
    Number(m ?? 0) * UNIT_SECONDS.m +
    Number(s ?? 0);
  const min = bounds.min ?? 1;
  if (seconds < min || (bounds.max !== undefined && seconds > bounds.max)) {
    const range =
      bounds.max === undefined ? `at least ${shortest(min)}` : `between ${shortest(min)} and ${shortest(bounds.max)}`;
    throw new DevsecretsError("DS_USAGE", `${what} ${shown} is out of range: it must be ${range}`, {
      hint: `give ${what} a duration ${range}, such as ${FORMS}`,
    });
  }
  return seconds;
}

export function formatDuration(seconds: number): string {
  if (seconds <= 0) return "0s";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  return [h ? `${h}h` : "", m ? `${m}m` : "", !h && s ? `${s}s` : ""].join("") || "0s";
}

/** a bound as the user would type it: whole days as `30d` */
function shortest(seconds: number): string {
  return seconds >= 86400 && seconds % 86400 === 0 ? `${seconds / 86400}d` : formatDuration(seconds);
}
