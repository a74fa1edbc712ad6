// sandbox://uuid: a random (version 4) UUID in lowercase 8-4-4-4-12 form.
// Rule: node:crypto's randomUUID, RFC 9562 section 5.4.

import { randomUUID } from "node:crypto";
import type { SandboxKind } from "../sandbox-kind.js";
import { singleValue } from "../minted.js";

export const uuid: SandboxKind = {
  kind: "uuid",
  summary: "version 4 UUID, e.g. 3b241101-e2bb-4255-8caf-4136c566a962",
  fields: ["value"],
  options: {},
  mint() {
    return singleValue(randomUUID());
  },
};
