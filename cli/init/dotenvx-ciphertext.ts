// dotenvx writes encrypted values as `encrypted:<base64>`: init must never store that text as a secret.
// Rule: names the variables and lines, never their text; refuses the whole file, so nothing half-imported remains.

import { DevsecretsError } from "../../common/errors.js";
import type { EnvEntry } from "../../common/env-file-parser.js";

const CIPHERTEXT = /^encrypted:[A-Za-z0-9+/=]/;

/** throws DS_INIT_ENCRYPTED when any value of `file` is dotenvx ciphertext */
export function refuseCiphertext(entries: readonly EnvEntry[], file: string): void {
  const sealed = entries.filter((entry) => CIPHERTEXT.test(entry.value));
  if (sealed.length === 0) return;
  const named = sealed.map((entry) => `${entry.name} (${file}:${entry.line})`).join(", ");
  throw new DevsecretsError("DS_INIT_ENCRYPTED", `${file} holds dotenvx ciphertext, not values: ${named}`, {
    hint: `decrypt it first with \`dotenvx decrypt -f ${file}\`, then run \`devsecrets init --from ${file}\` again`,
  });
}
