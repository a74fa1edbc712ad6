// sandbox://stripe/restricted-key: a test-mode restricted (scoped) secret key; stripe-mock accepts it, api.stripe.com answers 401.
// Rule: test mode only (rk_test_), one account per session unless ?account= is given.

import type { SandboxKind } from "../sandbox-kind.js";
import { singleValue } from "../minted.js";
import { ACCOUNT_OPTION, stripeKey } from "../stripe-key.js";

export const stripeRestrictedKey: SandboxKind = {
  kind: "stripe/restricted-key",
  summary: "restricted API key: rk_test_ + 99 base62 naming the account (107 chars)",
  fields: ["value"],
  options: { account: ACCOUNT_OPTION },
  mint(options, context) {
    return singleValue(stripeKey("rk", options, context));
  },
};
