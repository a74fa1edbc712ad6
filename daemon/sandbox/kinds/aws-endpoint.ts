// sandbox://aws/endpoint: the URL of the session's moto (AWS's emulator) for AWS_ENDPOINT_URL, with IAM checks on:
// the aws/access-key pairs this daemon mints are registered in it, a made-up key gets moto's 403.
// Rule: a URL without credentials is not a secret (secret: false).

import { DevsecretsError } from "../../../common/errors.js";
import { Secret } from "../../../common/secret.js";
import type { SandboxKind } from "../sandbox-kind.js";

export const awsEndpoint: SandboxKind = {
  kind: "aws/endpoint",
  live: "service",
  summary: "the URL of a moto server (AWS emulator) on 127.0.0.1 that knows this daemon's aws/access-key pairs",
  fields: ["value"],
  options: {},
  async mint(_options, context) {
    const ledger = context.ledger;
    if (!context.services || !ledger) {
      throw new DevsecretsError(
        "DS_SANDBOX_OPTION",
        "sandbox kind aws/endpoint starts a server and only the daemon can",
        {
          hint: "reference it from a project (AWS_ENDPOINT_URL=sandbox://aws/endpoint) and resolve it with `devsecrets run`",
        },
      );
    }
    const { host, port } = await context.services.start("moto", ledger.sessionId);
    return { value: new Secret(`http://${host}:${port}`, false) };
  },
};
