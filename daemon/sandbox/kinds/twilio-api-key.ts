// sandbox://twilio/api-key#sid|secret: an API key (SK + 32 hex) and its secret (32 base62).
// Rule: Twilio's recommended credential for apps; used as basic auth with the account SID in the URL.

import type { SandboxKind } from "../sandbox-kind.js";
import { multiField } from "../minted.js";
import { BASE62, HEX, randomString } from "../random.js";

export const twilioApiKey: SandboxKind = {
  kind: "twilio/api-key",
  summary: "API key: sid SK + 32 hex, secret 32 base62",
  fields: ["sid", "secret"],
  options: {},
  mint() {
    return multiField({ sid: `SK${randomString(HEX, 32)}`, secret: randomString(BASE62, 32) });
  },
};
