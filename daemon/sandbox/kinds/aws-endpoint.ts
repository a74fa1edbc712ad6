// sandbox://aws/endpoint: the URL of the session's moto (AWS's emulator) for AWS_ENDPOINT_URL, with IAM checks on:
// the aws/access-key pairs this daemon mints are registered in it, a made-up key gets moto's 403.
// Rule: a URL without credentials is not a secret (secret: false).

import { Secret } from "../../../common/secret.js";
import type { SandboxKind } from "../sandbox-kind.js";
import { daemonServices } from "./daemon-services.js";

export const awsEndpoint: SandboxKind = {
  kind: "aws/endpoint",
  live: "service",
  summary: "the URL of a moto server (AWS emulator) on 127.0.0.1 that knows this daemon's aws/access-key pairs",
  fields: ["value"],
  options: {},
  async mint(_options, context) {
    const { services, ledger } = daemonServices(context, "aws/endpoint", "AWS_ENDPOINT_URL=sandbox://aws/endpoint");
    const { host, port } = await services.start("moto", ledger.sessionId);
    return { value: new Secret(`http://${host}:${port}`, false) };
  },
};
