// sandbox://random/hex?length=N: N lowercase hex characters (N/2 random bytes when N is even).
// Rule: for app secrets that want hex (Rails secret_key_base, session keys).

import type { SandboxKind } from "../sandbox-kind.js";
import { singleValue } from "../minted.js";
import { HEX, randomString } from "../random.js";

export const randomHex: SandboxKind = {
  kind: "random/hex",
  summary: "lowercase hex string, 64 characters (256 bits) by default",
  fields: ["value"],
  options: { length: { type: "int", min: 16, max: 1024, default: 64, description: "number of hex characters" } },
  mint(options) {
    return singleValue(randomString(HEX, Number(options.length)));
  },
};
