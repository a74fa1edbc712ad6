// sandbox://github/pat: a classic personal access token, ghp_ + 30 base62 + 6-char CRC32 checksum.
// Rule: the checksum is GitHub's, so offline validators accept it; GitHub's API answers 401.

import type { SandboxKind } from "../sandbox-kind.js";
import { singleValue } from "../minted.js";
import { checksummedToken } from "../random.js";

export const githubPat: SandboxKind = {
  kind: "github/pat",
  summary: "classic personal access token: ghp_ + 30 base62 + base62 CRC32 (40 chars)",
  fields: ["value"],
  options: {},
  mint() {
    return singleValue(checksummedToken("ghp_"));
  },
};
