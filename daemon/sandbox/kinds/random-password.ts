// sandbox://random/password?length=N&symbols=yes|no: a password with every character class present.
// Rule: symbols are URL-userinfo and shell safe, so ${PGPASSWORD} composes into DATABASE_URL unencoded.

import type { SandboxKind } from "../sandbox-kind.js";
import { singleValue } from "../minted.js";
import { randomString } from "../random.js";

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGIT = "0123456789";
/** RFC 3986 unreserved marks plus "+" and ",": kept as-is in a URL's userinfo (WHATWG) and inert in double quotes */
export const PASSWORD_SYMBOLS = "-_.~+,";

export const TRUE_WORDS = ["yes", "true", "1", "on"] as const;
export const FALSE_WORDS = ["no", "false", "0", "off"] as const;

export const randomPassword: SandboxKind = {
  kind: "random/password",
  summary: "password of letters, digits and (by default) the symbols -_.~+, with each class present",
  fields: ["value"],
  options: {
    length: { type: "int", min: 8, max: 256, default: 32, description: "number of characters" },
    symbols: {
      type: "enum",
      values: [...TRUE_WORDS, ...FALSE_WORDS],
      default: "yes",
      description: `include the symbols ${PASSWORD_SYMBOLS}`,
    },
  },
  mint(options) {
    const length = Number(options.length);
    const classes = [LOWER, UPPER, DIGIT];
    if ((TRUE_WORDS as readonly string[]).includes(String(options.symbols))) classes.push(PASSWORD_SYMBOLS);
    const alphabet = classes.join("");
    // rejection keeps the result uniform over the passwords that contain every class
    for (;;) {
      const candidate = randomString(alphabet, length);
      if (classes.every((chars) => [...candidate].some((c) => chars.includes(c)))) return singleValue(candidate);
    }
  },
};
