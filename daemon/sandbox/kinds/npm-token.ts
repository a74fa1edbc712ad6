// sandbox://npm/token: an npm access token, npm_ + 30 base62 + 6-char CRC32 checksum (GitHub's scheme).
// Rule: https://github.blog/changelog/2021-09-23-npm-has-a-new-access-token-format/; the registry answers 401.

import type { SandboxKind } from "../sandbox-kind.js";
import { singleValue } from "../minted.js";
import { checksummedToken } from "../random.js";

export const npmToken: SandboxKind = {
  kind: "npm/token",
  summary: "npm access token: npm_ + 30 base62 + base62 CRC32 (40 chars)",
  fields: ["value"],
  options: {},
  mint() {
    return singleValue(checksummedToken("npm_"));
  },
};
