// Shared layout of Stripe API keys: <type>_test_ + a 99-char body naming the account.
// Rule: test mode only; a sandbox never mints a live-mode (_live_) key.

import type { MintContext, OptionSpec, OptionValues } from "./sandbox-kind.js";
import { BASE62, randomString } from "./random.js";

export const ACCOUNT_OPTION: OptionSpec = {
  type: "pattern",
  pattern: /^acct_1[A-Za-z0-9]{15}$/,
  example: "acct_1DevsecretsSandb",
  description: "the Stripe account id the key names (default: one random account per session)",
};

/**
 * The body of keys Stripe issues since 2019: "5" + the account id without "acct_" (16 chars,
 * starting "1") + 72 random + "00" + 8 random = 99 characters, all base62.
 */
export function stripeKey(type: "sk" | "pk" | "rk", options: OptionValues, context: MintContext): string {
  return `${type}_test_5${accountBody(options, context)}${randomString(BASE62, 72)}00${randomString(BASE62, 8)}`;
}

function accountBody(options: OptionValues, context: MintContext): string {
  if (typeof options.account === "string") return options.account.slice("acct_".length);
  // one account per session, so that a session's secret, publishable and restricted keys agree
  return context.session.getOrCreate("stripe/account", () => `1${randomString(BASE62, 15)}`);
}
