// sandbox://stripe/api-base: the URL of a stripe-mock the daemon runs for the session, beside the test-mode keys.
// Rule: a URL without credentials is not a secret (secret: false): answered and audited, never masked.

import { Secret } from "../../../common/secret.js";
import type { SandboxKind } from "../sandbox-kind.js";
import { daemonServices } from "./daemon-services.js";

export const stripeApiBase: SandboxKind = {
  kind: "stripe/api-base",
  live: "service",
  summary: "the URL of a stripe-mock on 127.0.0.1 for the session (Stripe's API mock; any test key is accepted)",
  fields: ["value"],
  options: {},
  async mint(_options, context) {
    const { services, ledger } = daemonServices(
      context,
      "stripe/api-base",
      "STRIPE_API_BASE=sandbox://stripe/api-base",
    );
    const { host, port } = await services.start("stripe", ledger.sessionId);
    return { value: new Secret(`http://${host}:${port}`, false) };
  },
};
