// Recognises sandbox tokens by format alone, for tokens minted in another session: only formats no real credential has.
// Rule: a real credential must never be called harmless; a valid GitHub/npm checksum is NOT such a format (real tokens carry one).

import { awsKeyAccount, EXAMPLE_ACCOUNT_ID } from "../../common/token-formats.js";

const AWS_KEY_ID = /^(AKIA|ASIA)[A-Z2-7]{16}$/;
const STRIPE_TEST_KEY = /^(sk|pk|rk)_test_[0-9A-Za-z]{24,247}$/;
const STRIPE_KINDS: Readonly<Record<string, string>> = {
  sk: "stripe/secret-key",
  pk: "stripe/publishable-key",
  rk: "stripe/restricted-key",
};

/** the sandbox kind whose format `text` has, or null; `text` is one token, already cut out of its context */
export function recogniseSandboxToken(text: string): string | null {
  if (AWS_KEY_ID.test(text)) {
    // AWS's documentation account owns no real keys: an id naming it is a sandbox's
    return awsKeyAccount(text) === EXAMPLE_ACCOUNT_ID
      ? text.startsWith("AKIA")
        ? "aws/access-key"
        : "aws/session"
      : null;
  }
  const stripe = STRIPE_TEST_KEY.exec(text);
  // test mode cannot move money; a test key is a stand-in by Stripe's own design
  if (stripe) return STRIPE_KINDS[stripe[1] as string] ?? null;
  return null;
}
