// sandbox://aws/session#id|secret|token: temporary STS credentials (ASIA...) with a session token.
// Rule: the token is opaque to clients (sent as X-Amz-Security-Token); only its head mimics STS.

import type { SandboxKind } from "../sandbox-kind.js";
import { awsAccessKeyId } from "../aws-key-id.js";
import { multiField } from "../minted.js";
import { ACCOUNT_OPTION, awsSecretAccessKey, awsSessionToken } from "../aws-credentials.js";

export const awsSession: SandboxKind = {
  kind: "aws/session",
  summary: "temporary credentials: id ASIA + 16 base32, 40-char secret, 816-char session token",
  fields: ["id", "secret", "token"],
  options: { account: ACCOUNT_OPTION },
  mint(options) {
    return multiField({
      id: awsAccessKeyId("ASIA", String(options.account)),
      secret: awsSecretAccessKey(),
      token: awsSessionToken(),
    });
  },
};
