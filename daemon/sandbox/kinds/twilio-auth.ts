// sandbox://twilio/auth#sid|token: an account SID (AC + 32 hex) and its auth token (32 hex).
// Rule: the pair is used as HTTP basic auth; api.twilio.com answers 401 (error 20003).

import type { SandboxKind } from "../sandbox-kind.js";
import { multiField } from "../minted.js";
import { HEX, randomString } from "../random.js";

export const twilioAuth: SandboxKind = {
  kind: "twilio/auth",
  summary: "account credentials: sid AC + 32 hex, token 32 hex",
  fields: ["sid", "token"],
  options: {},
  mint() {
    return multiField({ sid: `AC${randomString(HEX, 32)}`, token: randomString(HEX, 32) });
  },
};
