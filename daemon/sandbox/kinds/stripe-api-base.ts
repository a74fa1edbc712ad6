// sandbox://stripe/api-base: the URL of a stripe-mock the daemon runs for the session, beside the test-mode keys.
// Rule: a URL without credentials is not a secret (secret: false): answered and audited, never masked.

import { DevsecretsError } from "../../../common/errors.js";
import { Secret } from "../../../common/secret.js";
import type { SandboxKind } from "../sandbox-kind.js";

export const stripeApiBase: SandboxKind = {
  kind: "stripe/api-base",
  live: "service",
  summary: "the URL of a stripe-mock on 127.0.0.1 for the session (Stripe's API mock; any test key is accepted)",
  fields: ["value"],
  options: {},
  async mint(_options, context) {
    const ledger = context.ledger;
    if (!context.services || !ledger) {
      throw new DevsecretsError(
        "DS_SANDBOX_OPTION",
        "sandbox kind stripe/api-base starts a server and only the daemon can",
        {
          hint: "reference it from a project (STRIPE_API_BASE=sandbox://stripe/api-base) and resolve it with `devsecrets run`",
        },
      );
    }
    const { host, port } = await context.services.start("stripe", ledger.sessionId);
    return { value: new Secret(`http://${host}:${port}`, false) };
  },
};
