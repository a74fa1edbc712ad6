// sandbox://openai/key: a project API key, sk-proj- + 74 + "T3BlbkFJ" + 74 (164 chars).
// Rule: "T3BlbkFJ" (base64 of "OpenAI") sits where issued keys carry it, which is what scanners look for.

import type { SandboxKind } from "../sandbox-kind.js";
import { singleValue } from "../minted.js";
import { BASE62, BASE64URL, randomString } from "../random.js";

export const openaiKey: SandboxKind = {
  kind: "openai/key",
  summary: "project API key: sk-proj- + 74 + T3BlbkFJ + 74 of [A-Za-z0-9_-] (164 chars)",
  fields: ["value"],
  options: {},
  mint() {
    // the last character is alphanumeric so that a word boundary follows the key, as scanners require
    const tail = randomString(BASE64URL, 73) + randomString(BASE62, 1);
    return singleValue(`sk-proj-${randomString(BASE64URL, 74)}T3BlbkFJ${tail}`);
  },
};
