// Detector agreement: independent secret scanners recognise each fake as the vendor's credential.
// secretlint's recommended preset runs for real; gitleaks and trufflehog rules are copied below as data.

import test from "ava";
import { lintSource } from "@secretlint/core";
import { creator as recommended } from "@secretlint/secretlint-rule-preset-recommend";
import { shannonEntropy } from "../../helpers/sandbox-checks.js";
import { mintContext, mintFields, mintValue } from "../../helpers/sandbox-session.js";

async function secretlintRules(content: string, filePath = "/project/devsecrets.local.env"): Promise<string[]> {
  const result = await lintSource({
    source: { filePath, content, contentType: "text" },
    options: { config: { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: recommended }] } },
  });
  return result.messages.map((message) => message.ruleId);
}

const SECRETLINT_CASES: Array<[string, (context: ReturnType<typeof mintContext>) => Promise<string>, string]> = [
  [
    "github/pat",
    async (c) => `GITHUB_TOKEN=${await mintValue("github/pat", c)}\n`,
    "@secretlint/secretlint-rule-github",
  ],
  [
    "github/app-installation",
    async (c) => `GH_TOKEN=${await mintValue("github/app-installation", c)}\n`,
    "@secretlint/secretlint-rule-github",
  ],
  [
    "github/fine-grained",
    async (c) => `GH_TOKEN=${await mintValue("github/fine-grained", c)}\n`,
    "@secretlint/secretlint-rule-github",
  ],
  ["npm/token", async (c) => `NPM_TOKEN=${await mintValue("npm/token", c)}\n`, "@secretlint/secretlint-rule-npm"],
  [
    "slack/bot",
    async (c) => `SLACK_BOT_TOKEN=${await mintValue("slack/bot", c)}\n`,
    "@secretlint/secretlint-rule-slack",
  ],
  // the preset's AWS rule reports secret access keys only after an AWS_SECRET_ACCESS_KEY-like name
  [
    "aws/access-key#secret",
    async (c) => `AWS_SECRET_ACCESS_KEY=${(await mintFields("aws/access-key", c)).secret}\n`,
    "@secretlint/secretlint-rule-aws",
  ],
  [
    "aws/session#secret",
    async (c) => `aws_secret_access_key = "${(await mintFields("aws/session", c)).secret}"\n`,
    "@secretlint/secretlint-rule-aws",
  ],
  [
    "openai/key",
    async (c) => `OPENAI_API_KEY=${await mintValue("openai/key", c)}\n`,
    "@secretlint/secretlint-rule-openai",
  ],
  [
    "sendgrid/key",
    async (c) => `SENDGRID_API_KEY=${await mintValue("sendgrid/key", c)}\n`,
    "@secretlint/secretlint-rule-sendgrid",
  ],
  ["tls/cert#key", async (c) => (await mintFields("tls/cert", c)).key ?? "", "@secretlint/secretlint-rule-privatekey"],
  ["tls/ca#key", async (c) => (await mintFields("tls/ca", c)).key ?? "", "@secretlint/secretlint-rule-privatekey"],
];

for (const [label, text, rule] of SECRETLINT_CASES) {
  test(`secretlint recommended preset: ${label} is reported by ${rule}`, async (t) => {
    for (let i = 0; i < 25; i++) {
      const rules = await secretlintRules(await text(mintContext()));
      t.true(rules.includes(rule), `${label}: reported by [${rules.join(", ")}]`);
    }
  });
}

/**
 * Rules copied from gitleaks' config/gitleaks.toml (commit b58d3f10, 2026-07) with the rule id,
 * the regex (RE2 syntax that JavaScript reads the same way; a leading (?i) becomes the i flag),
 * the entropy threshold on the captured secret, and allowlist regexes where the rule has one.
 */
const GITLEAKS = {
  "stripe-access-token": {
    regex: /\b((?:sk|rk)_(?:test|live|prod)_[a-zA-Z0-9]{10,99})(?:[\x60'"\s;]|\\[nr]|$)/,
    entropy: 2,
  },
  "twilio-api-key": { regex: /SK[0-9a-fA-F]{32}/, entropy: 3 },
  jwt: {
    regex: /\b(ey[a-zA-Z0-9]{17,}\.ey[a-zA-Z0-9/\\_-]{17,}\.(?:[a-zA-Z0-9/\\_-]{10,}={0,2})?)(?:[\x60'"\s;]|\\[nr]|$)/,
    entropy: 3,
  },
  "aws-access-token": {
    regex: /\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/,
    entropy: 3,
    allow: [/.+EXAMPLE$/],
  },
  "github-pat": { regex: /ghp_[0-9a-zA-Z]{36}/, entropy: 3 },
  "github-app-token": { regex: /(?:ghu|ghs)_[0-9a-zA-Z]{36}/, entropy: 3 },
  "github-fine-grained-pat": { regex: /github_pat_\w{82}/, entropy: 3 },
  "npm-access-token": { regex: /\b(npm_[a-z0-9]{36})(?:[\x60'"\s;]|\\[nr]|$)/i, entropy: 2 },
  "slack-bot-token": { regex: /xoxb-[0-9]{10,13}-[0-9]{10,13}[a-zA-Z0-9-]*/, entropy: 3 },
  "openai-api-key": {
    regex:
      /\b(sk-(?:proj|svcacct|admin)-(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})T3BlbkFJ(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})\b|sk-[a-zA-Z0-9]{20}T3BlbkFJ[a-zA-Z0-9]{20})(?:[\x60'"\s;]|\\[nr]|$)/,
    entropy: 3,
  },
  "private-key": {
    regex: /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S-]{64,}?KEY(?: BLOCK)?-----/i,
    entropy: 0,
  },
} as const satisfies Record<string, { regex: RegExp; entropy: number; allow?: readonly RegExp[] }>;

function gitleaksFinds(ruleId: keyof typeof GITLEAKS, text: string): boolean {
  const rule: { regex: RegExp; entropy: number; allow?: readonly RegExp[] } = GITLEAKS[ruleId];
  const match = rule.regex.exec(text);
  if (match === null) return false;
  const secret = match[1] ?? match[0];
  if (rule.allow?.some((allow) => allow.test(secret))) return false;
  return shannonEntropy(secret) >= rule.entropy;
}

const GITLEAKS_CASES: Array<
  [string, keyof typeof GITLEAKS, (context: ReturnType<typeof mintContext>) => Promise<string>]
> = [
  [
    "stripe/secret-key",
    "stripe-access-token",
    async (c) => `STRIPE_SECRET_KEY=${await mintValue("stripe/secret-key", c)}\n`,
  ],
  [
    "stripe/restricted-key",
    "stripe-access-token",
    async (c) => `STRIPE_KEY="${await mintValue("stripe/restricted-key", c)}"\n`,
  ],
  [
    "twilio/api-key#sid",
    "twilio-api-key",
    async (c) => `TWILIO_API_KEY=${(await mintFields("twilio/api-key", c)).sid}\n`,
  ],
  ["jwt/rs256", "jwt", async (c) => `TOKEN=${await mintValue("jwt/rs256", c)}\n`],
  ["jwt/es256", "jwt", async (c) => `TOKEN=${await mintValue("jwt/es256", c)}\n`],
  [
    "jwt/hs256 with claims",
    "jwt",
    async (c) => `TOKEN=${await mintValue("jwt/hs256", mintContext({ session: c.session, claims: { sub: "u1" } }))}\n`,
  ],
  [
    "aws/access-key#id",
    "aws-access-token",
    async (c) => `AWS_ACCESS_KEY_ID=${(await mintFields("aws/access-key", c)).id}\n`,
  ],
  ["aws/session#id", "aws-access-token", async (c) => `AWS_ACCESS_KEY_ID=${(await mintFields("aws/session", c)).id}\n`],
  ["github/pat", "github-pat", async (c) => `${await mintValue("github/pat", c)}\n`],
  ["github/app-installation", "github-app-token", async (c) => `${await mintValue("github/app-installation", c)}\n`],
  ["github/fine-grained", "github-fine-grained-pat", async (c) => `${await mintValue("github/fine-grained", c)}\n`],
  [
    "npm/token",
    "npm-access-token",
    async (c) => `//registry.npmjs.org/:_authToken=${await mintValue("npm/token", c)}\n`,
  ],
  ["slack/bot", "slack-bot-token", async (c) => `${await mintValue("slack/bot", c)}\n`],
  ["openai/key", "openai-api-key", async (c) => `OPENAI_API_KEY=${await mintValue("openai/key", c)}\n`],
  ["tls/cert#key", "private-key", async (c) => (await mintFields("tls/cert", c)).key ?? ""],
];

for (const [label, ruleId, text] of GITLEAKS_CASES) {
  test(`gitleaks rule ${ruleId} finds ${label}`, async (t) => {
    for (let i = 0; i < 25; i++) t.true(gitleaksFinds(ruleId, await text(mintContext())));
  });
}

test("gitleaks' stripe rule would find a live key too: the fake differs only by its test-mode prefix", async (t) => {
  const key = await mintValue("stripe/secret-key");
  t.true(gitleaksFinds("stripe-access-token", `${key.replace("_test_", "_live_")}\n`));
});

test("trufflehog's Twilio detector (pkg/detectors/twilio) finds twilio/auth's sid and token", async (t) => {
  // copied from trufflehog's twilio.go: a "sid" keyword near the SID, the SID, and a 32-hex key
  const identifier = /sid.{0,20}AC[0-9a-f]{32}/i;
  const sidPattern = /\bAC[0-9a-f]{32}\b/;
  const keyPattern = /\b[0-9a-f]{32}\b/;
  for (let i = 0; i < 25; i++) {
    const { sid, token } = await mintFields("twilio/auth");
    const text = `TWILIO_ACCOUNT_SID=${sid}\nTWILIO_AUTH_TOKEN=${token}\n`;
    t.true(identifier.test(text));
    t.is(sidPattern.exec(text)?.[0], sid);
    t.is(keyPattern.exec(text)?.[0], token);
  }
});
