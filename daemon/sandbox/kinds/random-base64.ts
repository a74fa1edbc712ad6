// sandbox://random/base64?bytes=N: N random bytes, standard base64 with padding.
// Rule: for keys an app decodes itself (AES keys, cookie secrets); bytes is the decoded size.

import { randomBytes } from "node:crypto";
import type { SandboxKind } from "../sandbox-kind.js";
import { singleValue } from "../minted.js";

export const randomBase64: SandboxKind = {
  kind: "random/base64",
  summary: "base64 (RFC 4648, padded) of 32 random bytes by default",
  fields: ["value"],
  options: {
    bytes: { type: "int", min: 8, max: 1024, default: 32, description: "number of random bytes before encoding" },
  },
  mint(options) {
    return singleValue(randomBytes(Number(options.bytes)).toString("base64"));
  },
};
