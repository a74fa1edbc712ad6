// sandbox://stripe/webhook-secret: an endpoint signing secret, whsec_ + 32 base62 (as the Dashboard issues).
// Rule: stripe.webhooks.constructEvent and generateTestHeaderString use it as-is; no Stripe endpoint knows it.

import type { SandboxKind } from "../sandbox-kind.js";
import { singleValue } from "../minted.js";
import { BASE62, randomString } from "../random.js";

export const stripeWebhookSecret: SandboxKind = {
  kind: "stripe/webhook-secret",
  summary: "webhook endpoint signing secret: whsec_ + 32 base62 (38 chars)",
  fields: ["value"],
  options: {},
  mint() {
    return singleValue(`whsec_${randomString(BASE62, 32)}`);
  },
};
