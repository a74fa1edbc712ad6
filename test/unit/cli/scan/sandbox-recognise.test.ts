import test from "ava";
import { awsAccessKeyId, EXAMPLE_ACCOUNT_ID } from "../../../../daemon/sandbox/aws-key-id.js";
import { checksummedToken } from "../../../../daemon/sandbox/random.js";
import { recogniseSandboxToken } from "../../../../cli/scan/sandbox-recognise.js";
import { awsKeyAccount } from "../../../../common/token-formats.js";
import { classify, keychainNameFor } from "../../../../cli/init/classify.js";
import { shannonEntropy } from "../../../../common/token-formats.js";
import { redactedPreview } from "../../../../cli/scan/finding.js";

test("AWS key ids for the documentation account are sandbox tokens; any other account is not", (t) => {
  for (let i = 0; i < 50; i++) {
    t.is(recogniseSandboxToken(awsAccessKeyId("AKIA", EXAMPLE_ACCOUNT_ID)), "aws/access-key");
    t.is(recogniseSandboxToken(awsAccessKeyId("ASIA", EXAMPLE_ACCOUNT_ID)), "aws/session");
    const other = awsAccessKeyId("AKIA", "210987654321");
    t.is(awsKeyAccount(other), "210987654321");
    t.is(recogniseSandboxToken(other), null);
  }
  t.is(recogniseSandboxToken("AKIAIOSFODNN7EXAMPLE"), null, "an old-layout id carries no account");
});

test("Stripe test-mode keys are recognised; live keys are not", (t) => {
  t.is(recogniseSandboxToken(`sk_test_${"a1B2".repeat(10)}`), "stripe/secret-key");
  t.is(recogniseSandboxToken(`pk_test_${"a1B2".repeat(10)}`), "stripe/publishable-key");
  t.is(recogniseSandboxToken(`rk_test_${"a1B2".repeat(10)}`), "stripe/restricted-key");
  t.is(recogniseSandboxToken(`sk_live_${"a1B2".repeat(10)}`), null);
});

test("a GitHub token with a valid checksum is NOT harmless by format: every real token has one", (t) => {
  t.is(recogniseSandboxToken(checksummedToken("ghp_")), null);
  t.is(recogniseSandboxToken(checksummedToken("npm_")), null);
});

test("previews show at most 4 characters and never more than a quarter of the secret", (t) => {
  t.is(redactedPreview("ghp_0123456789abcdefghij0123456789abcdef"), "ghp_…(40 chars)");
  t.is(redactedPreview("12345678"), "12…(8 chars)");
  t.is(redactedPreview("abc"), "…(3 chars)");
});

test("init's classifier: names, URLs with passwords, entropy, secretlint; config stays literal", (t) => {
  t.true(classify("DB_PASSWORD", "x", null).secret);
  t.true(classify("GITHUB_TOKEN", "anything", null).secret);
  t.true(classify("SENTRY_DSN", "https://abc@o1.ingest.sentry.io/1", null).secret);
  t.true(classify("REDIS_URL", "redis://user:pw@localhost:6379", null).secret);
  t.true(classify("BLOB", "Zx8Qp3LmN7vR2tY6wK9s", null).secret);
  t.true(classify("WHATEVER", "x", "GITHUB_TOKEN").secret);
  t.true(classify("SESSION_SECRET", "a $b", null, "single").secret, "single quotes: no expansion, still a secret");
  t.false(classify("API_URL", "https://api.example.com/v1/things", null).secret);
  t.false(classify("PORT", "3000", null).secret);
  t.false(classify("GREETING", "hello world, how are you today", null).secret);
  t.false(classify("DB_PASSWORD", "keychain://db-password", null).secret);
  t.false(classify("DATABASE_URL", "postgres://${USER}:${PASSWORD}@localhost/app", null).secret);
  t.true(shannonEntropy("abcdefghijklmnop") === 4);
  t.is(keychainNameFor("STRIPE_SECRET_KEY"), "stripe-secret-key");
});
