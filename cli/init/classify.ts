// Decides, for one variable of an existing .env, whether its value is a secret (to the keychain) or plain config.
// Rule: decides from the name, the shape and secretlint; the reason it gives names the signal, never the value.

import { shannonEntropy } from "../../common/token-formats.js";

export interface Classification {
  secret: boolean;
  /** why, in words without the value: "name contains TOKEN", "high entropy", "secretlint: GITHUB_TOKEN" */
  reason: string;
}

const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASS|PRIVATE|CREDENTIAL|DSN/;
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:[^\s/@]+@/i;
const REFERENCE = /^(keychain|vault|sandbox|env):\/\//;
const EXPANSION = /\$\{?[A-Za-z_]/;
/** what a generated key looks like: one run of base64/hex/url-safe characters with letters and digits */
const TOKEN_LIKE = /^(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9+/=_\-.~]+$/;

export const ENTROPY_BITS_PER_CHAR = 3.5;
export const ENTROPY_MIN_LENGTH = 16;

/** `ruleHit`: the secretlint rule that flagged this line, if any; `quote`: single quotes mean no expansion */
export function classify(name: string, value: string, ruleHit: string | null, quote = "none"): Classification {
  if (value === "") return { secret: false, reason: "empty" };
  if (REFERENCE.test(value)) return { secret: false, reason: "already a reference" };
  // a composed value (postgres://${USER}:${PASS}@...) stays literal; its parts move on their own
  if (quote !== "single" && EXPANSION.test(value)) return { secret: false, reason: "composed from other variables" };
  if (ruleHit) return { secret: true, reason: `secretlint: ${ruleHit}` };
  const upper = name.toUpperCase();
  const named = SECRET_NAME.exec(upper);
  if (named) return { secret: true, reason: `name contains ${named[0]}` };
  if (URL_WITH_PASSWORD.test(value)) return { secret: true, reason: "URL with a password" };
  if (
    value.length >= ENTROPY_MIN_LENGTH &&
    TOKEN_LIKE.test(value) &&
    !value.includes("://") &&
    shannonEntropy(value) >= ENTROPY_BITS_PER_CHAR
  ) {
    return { secret: true, reason: "high entropy" };
  }
  return { secret: false, reason: "plain config" };
}

/** keychain://NAME for a variable: lower case, '_' becomes '-' (DATABASE_PASSWORD -> database-password) */
export function keychainNameFor(variable: string): string {
  return variable.toLowerCase().replaceAll("_", "-");
}
