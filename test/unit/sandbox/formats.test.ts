// Each kind's value in the vendor's format, checked with regexes and checksums written in this test.
// Sources: GitHub's token-format post (2021-04-05), npm's (2021-09-23), AWS IAM docs, Stripe keys as issued.

import test from "ava";
import { awsAccessKeyId, EXAMPLE_ACCOUNT_ID } from "../../../daemon/sandbox/aws-key-id.js";
import { awsAccountFromKeyId, hasGithubChecksum, shannonEntropy } from "../../helpers/sandbox-checks.js";
import { mintContext, mintFields, mintValue } from "../../helpers/sandbox-session.js";

test("checksum checker accepts the published example token and rejects a one-character change", (t) => {
  // example from therootcompany/base62-token.js's spec of GitHub's format
  t.true(hasGithubChecksum("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"));
  t.false(hasGithubChecksum("ghp_zQWBuTSOoRi4A9spHcVY5ncnsDkxkK0mLq17"));
});

for (const [kind, prefix] of [
  ["github/pat", "ghp_"],
  ["github/app-installation", "ghs_"],
  ["npm/token", "npm_"],
] as const) {
  test(`${kind}: ${prefix} + 30 base62 + 6-char base62 CRC32 of the 30`, async (t) => {
    for (let i = 0; i < 200; i++) {
      const token = await mintValue(kind);
      t.is(token.length, 40);
      t.regex(token, new RegExp(`^${prefix}[A-Za-z0-9]{36}$`));
      t.true(hasGithubChecksum(token));
    }
  });
}

test("github/fine-grained: github_pat_ + 22 + _ + 59 (93 chars), the layout of issued tokens", async (t) => {
  const token = await mintValue("github/fine-grained");
  t.is(token.length, 93);
  t.regex(token, /^github_pat_11[A-Z0-9]{7}0[A-Za-z0-9]{12}_[A-Za-z0-9]{59}$/);
});

test("aws/access-key: AKIA + 16 base32 carrying AWS's example account, 40-char secret", async (t) => {
  for (let i = 0; i < 200; i++) {
    const { id, secret, ...rest } = await mintFields("aws/access-key");
    t.deepEqual(rest, {});
    t.regex(id ?? "", /^AKIA[Q-Z2-7][A-Z2-7]{15}$/); // 5th char Q..Z/2..7: keys issued since 2019
    t.is(awsAccountFromKeyId(id ?? ""), "123456789012");
    t.regex(secret ?? "", /^[A-Za-z0-9/+]{39}[A-Za-z0-9]$/);
  }
});

test("aws/access-key: ?account= is the account the key id decodes to", async (t) => {
  for (const account of ["000000000001", "999999999999", "210987654321"]) {
    const { id } = await mintFields("aws/access-key", mintContext(), { account });
    t.is(awsAccountFromKeyId(id ?? ""), account);
  }
});

test("aws/session: ASIA id, secret, base64 session token beginning like STS's", async (t) => {
  const { id, secret, token } = await mintFields("aws/session");
  t.regex(id ?? "", /^ASIA[Q-Z2-7][A-Z2-7]{15}$/);
  t.is(awsAccountFromKeyId(id ?? ""), "123456789012");
  t.regex(secret ?? "", /^[A-Za-z0-9/+]{40}$/);
  t.true((token ?? "").startsWith("IQoJb3JpZ2luX2Vj"));
  t.is(Buffer.from(token ?? "", "base64").toString("base64"), token ?? "");
  t.is(token?.length, 816);
});

for (const type of ["sk", "pk", "rk"] as const) {
  const kind = { sk: "stripe/secret-key", pk: "stripe/publishable-key", rk: "stripe/restricted-key" }[type];
  test(`${kind}: ${type}_test_ + 99 base62 (5 + account + 72 + 00 + 8), never live mode`, async (t) => {
    for (let i = 0; i < 200; i++) {
      const key = await mintValue(kind);
      t.is(key.length, 107);
      t.regex(key, new RegExp(`^${type}_test_51[A-Za-z0-9]{15}[A-Za-z0-9]{72}00[A-Za-z0-9]{8}$`));
      t.false(key.includes("_live_"));
    }
  });
}

test("stripe keys of one session name one account; ?account= names the given one", async (t) => {
  const context = mintContext();
  const accounts = new Set<string>();
  for (const kind of ["stripe/secret-key", "stripe/publishable-key", "stripe/restricted-key", "stripe/secret-key"]) {
    accounts.add((await mintValue(kind ?? "", context)).slice(9, 25));
  }
  t.is(accounts.size, 1);
  const other = (await mintValue("stripe/secret-key")).slice(9, 25);
  t.false(accounts.has(other));
  const chosen = await mintValue("stripe/secret-key", context, { account: "acct_1AbCdEfGhIjKlMnO" });
  t.true(chosen.startsWith("sk_test_51AbCdEfGhIjKlMnO"));
});

const SIMPLE_FORMATS: Record<string, { pattern: RegExp; length: number }> = {
  "stripe/webhook-secret": { pattern: /^whsec_[A-Za-z0-9]{32}$/, length: 38 },
  "slack/bot": { pattern: /^xoxb-[1-9][0-9]{12}-[1-9][0-9]{12}-[A-Za-z0-9]{24}$/, length: 57 },
  "openai/key": { pattern: /^sk-proj-[A-Za-z0-9_-]{74}T3BlbkFJ[A-Za-z0-9_-]{73}[A-Za-z0-9]$/, length: 164 },
  "sendgrid/key": { pattern: /^SG\.[A-Za-z0-9_]{22}\.[A-Za-z0-9_]{43}$/, length: 69 },
  "random/hex": { pattern: /^[0-9a-f]{64}$/, length: 64 },
  "random/base64": { pattern: /^[A-Za-z0-9+/]{43}=$/, length: 44 },
  uuid: { pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, length: 36 },
};

for (const [kind, { pattern, length }] of Object.entries(SIMPLE_FORMATS)) {
  test(`${kind}: ${pattern.source}`, async (t) => {
    for (let i = 0; i < 200; i++) {
      const value = await mintValue(kind);
      t.is(value.length, length);
      t.regex(value, pattern);
    }
  });
}

test('openai/key carries base64 of "OpenAI" where issued keys do', (t) => {
  t.is(Buffer.from("T3BlbkFJ", "base64").toString("latin1"), "OpenAI");
});

test("twilio/auth: sid AC + 32 hex, token 32 hex; twilio/api-key: sid SK + 32 hex, secret 32 base62", async (t) => {
  const auth = await mintFields("twilio/auth");
  t.regex(auth.sid ?? "", /^AC[0-9a-f]{32}$/);
  t.regex(auth.token ?? "", /^[0-9a-f]{32}$/);
  const key = await mintFields("twilio/api-key");
  t.regex(key.sid ?? "", /^SK[0-9a-f]{32}$/);
  t.regex(key.secret ?? "", /^[A-Za-z0-9]{32}$/);
});

test("random/password: 32 characters by default, every class present, symbols only from -_.~+,", async (t) => {
  for (let i = 0; i < 500; i++) {
    const password = await mintValue("random/password");
    t.is(password.length, 32);
    t.regex(password, /^[A-Za-z0-9\-_.~+,]+$/);
    for (const cls of [/[a-z]/, /[A-Z]/, /[0-9]/, /[-_.~+,]/]) t.regex(password, cls);
  }
});

test("random/password: length and symbols options", async (t) => {
  t.is((await mintValue("random/password", mintContext(), { length: "8" })).length, 8);
  t.is((await mintValue("random/password", mintContext(), { length: "256" })).length, 256);
  for (const symbols of ["no", "false", "0", "off"]) {
    t.regex(await mintValue("random/password", mintContext(), { symbols, length: "64" }), /^[A-Za-z0-9]{64}$/);
  }
  // a password composes into a URL's userinfo without percent-encoding
  const password = await mintValue("random/password", mintContext(), { length: "128" });
  t.is(new URL(`postgres://app:${password}@localhost/db`).password, password);
});

test("random/hex and random/base64 options set the size", async (t) => {
  t.regex(await mintValue("random/hex", mintContext(), { length: "16" }), /^[0-9a-f]{16}$/);
  t.is(Buffer.from(await mintValue("random/base64", mintContext(), { bytes: "8" }), "base64").length, 8);
  t.is(Buffer.from(await mintValue("random/base64"), "base64").length, 32);
});

test("every token kind clears gitleaks' entropy threshold of 3 bits per character", async (t) => {
  for (const kind of [
    "github/pat",
    "npm/token",
    "slack/bot",
    "openai/key",
    "stripe/secret-key",
    "github/fine-grained",
  ]) {
    t.true(shannonEntropy(await mintValue(kind)) > 3, kind);
  }
  const { id } = await mintFields("aws/access-key");
  t.true(shannonEntropy(id ?? "") > 3);
});

test("aws key ids: 20,000 draws each of AKIA and ASIA all clear gitleaks' 3 bits per character", (t) => {
  // about 1 draw in 4,500 fell under it before ids were drawn again: gitleaks' aws-access-token rule then
  // missed one fake in CI (detectors.test.ts mints 25 per run)
  for (const prefix of ["AKIA", "ASIA"] as const) {
    let low = 0;
    for (let i = 0; i < 20_000; i++) if (shannonEntropy(awsAccessKeyId(prefix, EXAMPLE_ACCOUNT_ID)) < 3) low++;
    t.is(low, 0, prefix);
  }
});

test("aws key ids: an account that leaves too few random characters still mints (the most varied of the draws)", (t) => {
  const id = awsAccessKeyId("AKIA", "000000000000");
  t.regex(id, /^AKIA[A-Z2-7]{16}$/);
  t.is(awsAccountFromKeyId(id), "000000000000");
});
