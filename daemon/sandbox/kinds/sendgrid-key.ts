// sandbox://sendgrid/key: an API key, SG. + 22-char key id + . + 43-char secret (69 chars).
// Rule: drawn from [A-Za-z0-9_], the part of SendGrid's base64url alphabet every scanner accepts.

import type { SandboxKind } from "../sandbox-kind.js";
import { singleValue } from "../minted.js";
import { BASE62, randomString } from "../random.js";

const WORD = `${BASE62}_`;

export const sendgridKey: SandboxKind = {
  kind: "sendgrid/key",
  summary: "API key: SG. + 22 + . + 43 of [A-Za-z0-9_] (69 chars)",
  fields: ["value"],
  options: {},
  mint() {
    return singleValue(`SG.${randomString(WORD, 22)}.${randomString(WORD, 43)}`);
  },
};
