// sandbox://github/app-installation: a GitHub App installation (server-to-server) token, ghs_ + checksum.
// Rule: same layout and checksum as ghp_ tokens; real ones expire after an hour, this one never works online.

import type { SandboxKind } from "../sandbox-kind.js";
import { singleValue } from "../minted.js";
import { checksummedToken } from "../random.js";

export const githubAppInstallation: SandboxKind = {
  kind: "github/app-installation",
  summary: "GitHub App installation token: ghs_ + 30 base62 + base62 CRC32 (40 chars)",
  fields: ["value"],
  options: {},
  mint() {
    return singleValue(checksummedToken("ghs_"));
  },
};
