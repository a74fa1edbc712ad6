// sandbox://github/fine-grained: a fine-grained personal access token, github_pat_ + 22 + _ + 59 (93 chars).
// Rule: the layout is the one seen on issued tokens (GitHub documents only the prefix); no checksum is published.

import type { SandboxKind } from "../sandbox-kind.js";
import { singleValue } from "../minted.js";
import { BASE62, randomString } from "../random.js";

const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export const githubFineGrained: SandboxKind = {
  kind: "github/fine-grained",
  summary: "fine-grained personal access token: github_pat_11 + 20 + _ + 59 base62 (93 chars)",
  fields: ["value"],
  options: {},
  mint() {
    // issued tokens start "11", then 7 upper/digit characters and a "0" (an id block), then random
    const id = `11${randomString(UPPER_DIGITS, 7)}0${randomString(BASE62, 12)}`;
    return singleValue(`github_pat_${id}_${randomString(BASE62, 59)}`);
  },
};
