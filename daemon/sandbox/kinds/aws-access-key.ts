// sandbox://aws/access-key#id|secret: a long-term IAM access key pair (AKIA...) for AWS's example account.
// Rule: SigV4 clients sign with it unchanged; AWS rejects it online because no such key exists.

import type { SandboxKind } from "../sandbox-kind.js";
import { awsAccessKeyId } from "../aws-key-id.js";
import { multiField } from "../minted.js";
import { ACCOUNT_OPTION, awsSecretAccessKey } from "../aws-credentials.js";

export const awsAccessKey: SandboxKind = {
  kind: "aws/access-key",
  summary: "IAM access key pair: id AKIA + 16 base32 (account encoded), 40-char secret",
  fields: ["id", "secret"],
  options: { account: ACCOUNT_OPTION },
  async mint(options, context) {
    const id = awsAccessKeyId("AKIA", String(options.account));
    const secret = awsSecretAccessKey();
    // the daemon's moto (sandbox://aws/endpoint) learns the pair, so an app signing with it is let in there
    await context.services?.registerAwsKey?.(id, secret);
    return multiField({ id, secret });
  },
};
