// Our live-form rules on each kind the sandbox mints: the live counterpart is a leak naming its kind, the fake is not.
// Rule: the live forms are made here from the vendors' formats, never by the minters; nothing here is a real credential.

import test from "ava";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MintedRegistry, writeMintedRegistry } from "../../../../common/minted-registry.js";
import { liveRuleHits } from "../../../../cli/scan/rule-hits.js";
import { type Candidate, judge, type Verdict } from "../../../../cli/scan/verdict.js";
import { awsAccessKeyId } from "../../../../daemon/sandbox/aws-key-id.js";
import { BASE62, checksummedToken, DIGITS, HEX, randomString } from "../../../../daemon/sandbox/random.js";
import { mintFields, mintValue } from "../../../helpers/sandbox-session.js";

function verdicts(text: string, registry: MintedRegistry | null = null): Array<[Candidate, Verdict]> {
  return liveRuleHits(text).map((hit) => [hit, judge(hit, { served: null, registry })]);
}

function only(t: { is(a: unknown, b: unknown, m?: string): void }, text: string, registry?: MintedRegistry | null) {
  const all = verdicts(text, registry);
  t.is(all.length, 1, `one hit expected, got ${all.map(([c]) => c.rule).join(", ")}`);
  return all[0] as [Candidate, Verdict];
}

/** a PEM private key that no sandbox minted */
function livePem(): string {
  return generateKeyPairSync("ec", { namedCurve: "P-256" })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
}

/** each sandbox kind: its fake (as it would sit in a file) and a live-form counterpart built from the vendor format */
const KINDS: Array<[kind: string, rule: string, fake: () => Promise<string>, live: () => string]> = [
  [
    "stripe/secret-key",
    "devsecrets/stripe-key",
    async () => `STRIPE_SECRET_KEY=${await mintValue("stripe/secret-key")}`,
    () => `STRIPE_SECRET_KEY=sk_live_51${randomString(BASE62, 97)}`,
  ],
  [
    "stripe/restricted-key",
    "devsecrets/stripe-key",
    async () => `key: "${await mintValue("stripe/restricted-key")}"`,
    () => `key: "rk_live_51${randomString(BASE62, 97)}"`,
  ],
  [
    "stripe/webhook-secret",
    "devsecrets/stripe-webhook-secret",
    async () => `STRIPE_WEBHOOK_SECRET=${await mintValue("stripe/webhook-secret")}`,
    () => `STRIPE_WEBHOOK_SECRET=whsec_${randomString(BASE62, 32)}`,
  ],
  [
    "twilio/auth",
    "devsecrets/twilio-secret",
    async () => `TWILIO_AUTH_TOKEN=${(await mintFields("twilio/auth")).token}`,
    () => `TWILIO_AUTH_TOKEN=${randomString(HEX, 32)}`,
  ],
  [
    "twilio/api-key",
    "devsecrets/twilio-api-key",
    async () => `sid = "${(await mintFields("twilio/api-key")).sid}"`,
    () => `sid = "SK${randomString(HEX, 32)}"`,
  ],
  [
    "github/pat",
    "devsecrets/github-token",
    async () => `token ${await mintValue("github/pat")}`,
    () => `token ${checksummedToken("ghp_")}`,
  ],
  [
    "github/app-installation",
    "devsecrets/github-token",
    async () => `GH_TOKEN=${await mintValue("github/app-installation")}`,
    () => `GH_TOKEN=${checksummedToken("ghs_")}`,
  ],
  [
    "github/fine-grained",
    "devsecrets/github-fine-grained-token",
    async () => `GH_TOKEN=${await mintValue("github/fine-grained")}`,
    () => `GH_TOKEN=github_pat_11${randomString(BASE62, 20)}_${randomString(BASE62, 59)}`,
  ],
  [
    "npm/token",
    "devsecrets/npm-token",
    async () => `//registry.npmjs.org/:_authToken=${await mintValue("npm/token")}`,
    () => `//registry.npmjs.org/:_authToken=${checksummedToken("npm_")}`,
  ],
  [
    "slack/bot",
    "devsecrets/slack-token",
    async () => `SLACK_BOT_TOKEN=${await mintValue("slack/bot")}`,
    () => `SLACK_BOT_TOKEN=xoxb-${randomString(DIGITS, 12)}-${randomString(DIGITS, 13)}-${randomString(BASE62, 24)}`,
  ],
  [
    "openai/key",
    "devsecrets/openai-key",
    async () => `OPENAI_API_KEY=${await mintValue("openai/key")}`,
    () =>
      `OPENAI_API_KEY=sk-proj-${randomBytes(56).toString("base64url").slice(0, 74)}T3BlbkFJ${randomBytes(56).toString("base64url").slice(0, 74)}`,
  ],
  [
    "sendgrid/key",
    "devsecrets/sendgrid-key",
    async () => `SENDGRID_API_KEY=${await mintValue("sendgrid/key")}`,
    () => `SENDGRID_API_KEY=SG.${randomString(BASE62, 22)}.${randomString(BASE62, 43)}`,
  ],
  [
    "aws/access-key",
    "devsecrets/aws-access-key-id",
    async () => `AWS_ACCESS_KEY_ID=${(await mintFields("aws/access-key")).id}`,
    () => `AWS_ACCESS_KEY_ID=${awsAccessKeyId("AKIA", "210987654321")}`,
  ],
  [
    "aws/session",
    "devsecrets/aws-access-key-id",
    async () => `AWS_ACCESS_KEY_ID=${(await mintFields("aws/session")).id}`,
    () => `AWS_ACCESS_KEY_ID=${awsAccessKeyId("ASIA", "210987654321")}`,
  ],
  [
    "jwt/hs256",
    "devsecrets/jwt-secret",
    async () => `JWT_SECRET=${await mintValue("jwt/hs256")}`,
    () => `JWT_SECRET=${randomBytes(32).toString("base64url")}`,
  ],
  ["tls/cert", "devsecrets/private-key", async () => (await mintFields("tls/cert")).key ?? "", livePem],
];

for (const [kind, rule, fake, live] of KINDS) {
  test(`${kind}: the live form is a leak that names the kind; the fake is harmless by marker or registry`, async (t) => {
    const liveText = live();
    const [hit, verdict] = only(t, liveText);
    t.is(hit.rule, rule);
    t.is(hit.liveFormOf, kind);
    t.is(verdict.outcome, "leak", verdict.why);

    const fakeText = await fake();
    const [fakeHit] = only(t, fakeText);
    const dir = mkdtempSync(join(tmpdir(), "ds-registry-"));
    try {
      const path = join(dir, "minted-registry");
      writeMintedRegistry(path, [[kind, fakeHit.secret]]);
      const [, fakeVerdict] = only(t, fakeText, MintedRegistry.read(path));
      t.is(fakeVerdict.outcome, "sandbox", fakeVerdict.why);
      // the live one stays a leak with the registry present
      t.is(only(t, liveText, MintedRegistry.read(path))[1].outcome, "leak");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("the issue's case: a 107-character sk_live_, an rk_live_ and a 32-hex TWILIO_AUTH_TOKEN are three leaks", (t) => {
  const text = [
    `STRIPE_SECRET_KEY=sk_live_51${randomString(BASE62, 97)}`,
    `STRIPE_RESTRICTED=rk_live_51${randomString(BASE62, 97)}`,
    `TWILIO_AUTH_TOKEN=${randomString(HEX, 32)}`,
  ].join("\n");
  const found = verdicts(text).map(([hit, verdict]) => `${hit.liveFormOf} ${verdict.outcome}`);
  t.deepEqual(found, ["stripe/secret-key leak", "stripe/restricted-key leak", "twilio/auth leak"]);
});

test("fakes with a marker are harmless with no registry: AWS's example account, Stripe test mode, the sandbox JWT", async (t) => {
  for (const text of [
    `AWS_ACCESS_KEY_ID=${(await mintFields("aws/access-key")).id}`,
    `STRIPE_SECRET_KEY=${await mintValue("stripe/secret-key")}`,
    `TOKEN=${await mintValue("jwt/rs256")}`,
  ]) {
    const [, verdict] = only(t, text);
    t.is(verdict.outcome, "sandbox", text.slice(0, 20));
  }
});

test("GitHub and npm tokens whose CRC32 does not match are no credential (the vendors set it in every token)", (t) => {
  for (const prefix of ["ghp_", "npm_"]) {
    const good = checksummedToken(prefix);
    const bad = `${good.slice(0, 34)}${good.slice(34) === "000000" ? "000001" : "000000"}`;
    const [, verdict] = only(t, `T=${bad}`);
    t.is(verdict.outcome, "dismissed");
    t.regex(verdict.why, /CRC32/);
  }
});

test("placeholders and documentation examples are no credential", (t) => {
  for (const text of [
    "STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "STRIPE_SECRET_KEY=sk_live_your_key_goes_here_1234567",
    "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
    "DATABASE_URL=postgres://user:password@localhost:5432/app",
    "DATABASE_URL=postgres://app:${PGPASSWORD}@db:5432/app",
    "TWILIO_AUTH_TOKEN=00000000000000000000000000000000",
    "-----BEGIN PRIVATE KEY-----\n...\n...............................................................\n-----END PRIVATE KEY-----",
  ]) {
    for (const [hit, verdict] of verdicts(text))
      t.is(verdict.outcome, "dismissed", `${hit.rule}: ${text.slice(0, 30)}`);
  }
});

test("a private key inside a JSON string (\\n escapes) is found and matched to the registry by its body", async (t) => {
  const pem = (await mintFields("tls/cert")).key ?? "";
  const json = JSON.stringify({ private_key: pem });
  const [hit] = only(t, json);
  t.is(hit.rule, "devsecrets/private-key");
  const dir = mkdtempSync(join(tmpdir(), "ds-registry-"));
  try {
    const path = join(dir, "minted-registry");
    writeMintedRegistry(path, [["tls/cert", pem]]);
    t.is(only(t, json, MintedRegistry.read(path))[1].outcome, "sandbox");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
