// sandbox://stripe/publishable-key: a test-mode browser-side publishable key; Stripe.js loads, api.stripe.com answers 401.
// Rule: test mode only (pk_test_), one account per session unless ?account= is given.

import type { SandboxKind } from "../sandbox-kind.js";
import { singleValue } from "../minted.js";
import { ACCOUNT_OPTION, stripeKey } from "../stripe-key.js";

export const stripePublishableKey: SandboxKind = {
  kind: "stripe/publishable-key",
  summary: "publishable key: pk_test_ + 99 base62 naming the account (107 chars)",
  fields: ["value"],
  options: { account: ACCOUNT_OPTION },
  mint(options, context) {
    return singleValue(stripeKey("pk", options, context));
  },
};
