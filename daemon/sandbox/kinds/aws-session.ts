// sandbox://aws/session#id|secret|token: temporary STS credentials (ASIA...) with a session token.
// Rule: the token is opaque to clients (sent as X-Amz-Security-Token); only its head mimics STS. The daemon's moto
// (sandbox://aws/endpoint) learns all three, so the minted credentials work there and a made-up token is refused.

import type { SandboxKind } from "../sandbox-kind.js";
import { awsAccessKeyId } from "../aws-key-id.js";
import { multiField } from "../minted.js";
import { ACCOUNT_OPTION, awsSecretAccessKey, awsSessionToken } from "../aws-credentials.js";

export const awsSession: SandboxKind = {
  kind: "aws/session",
  summary: "temporary credentials: id ASIA + 16 base32, 40-char secret, 816-char session token",
  fields: ["id", "secret", "token"],
  options: { account: ACCOUNT_OPTION },
  async mint(options, context) {
    const id = awsAccessKeyId("ASIA", String(options.account));
    const secret = awsSecretAccessKey();
    const token = awsSessionToken();
    await context.services?.registerAwsSession?.(id, secret, token);
    return multiField({ id, secret, token });
  },
};
