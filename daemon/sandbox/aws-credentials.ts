// Shared pieces of the AWS kinds: the account option and the secret access key.
// Rule: a fake names AWS's documentation account unless the user picks another.

import { randomBytes } from "node:crypto";
import type { OptionSpec } from "./sandbox-kind.js";
import { EXAMPLE_ACCOUNT_ID } from "./aws-key-id.js";
import { BASE62, BASE64, randomString } from "./random.js";

export const ACCOUNT_OPTION: OptionSpec = {
  type: "pattern",
  pattern: /^[0-9]{12}$/,
  example: EXAMPLE_ACCOUNT_ID,
  default: EXAMPLE_ACCOUNT_ID,
  description: "the 12-digit account id encoded in the access key id",
};

/**
 * 40 characters of [A-Za-z0-9/+] (base64 of 30 bytes, as AWS issues them). The last character is
 * drawn from [A-Za-z0-9] so that scanners anchoring on a word boundary (secretlint's AWS rule) see it.
 */
export function awsSecretAccessKey(): string {
  return randomString(BASE64, 39) + randomString(BASE62, 1);
}

/** what STS session tokens begin with (base64 of "!\n\torigin_ec"), then base64 of random bytes */
const SESSION_TOKEN_HEAD = "IQoJb3JpZ2luX2Vj";

export function awsSessionToken(): string {
  return SESSION_TOKEN_HEAD + randomBytes(600).toString("base64");
}
