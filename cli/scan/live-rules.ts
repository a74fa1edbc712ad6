// Our rules for the live form of every kind the sandbox mints, written from the vendors' published formats.
// Rule: a rule finds shapes and checks what the vendor publishes (GitHub's and npm's CRC32); it never decides "sandbox".

import { hasTokenChecksum, shannonEntropy } from "../../common/token-formats.js";

export interface LiveRule {
  /** "devsecrets/github-token": the finding's rule */
  id: string;
  /** the sandbox kind this is the live form of ("" where the sandbox mints none), and what it is in words */
  describe(secret: string, match: RegExpMatchArray): { kind: string; label: string };
  /** global; the group named `secret` (else the whole match) is the credential */
  pattern: RegExp;
  /** lowercase text one of which a file must hold for the pattern to be tried (gitleaks' keywords, in effect) */
  keywords: readonly string[];
  /** why the shape cannot be an issued credential (a checksum the vendor always sets fails), or null */
  refute?(secret: string): string | null;
}

const GITHUB_KINDS: Readonly<Record<string, { kind: string; label: string }>> = {
  ghp: { kind: "github/pat", label: "GitHub personal access token" },
  ghs: { kind: "github/app-installation", label: "GitHub App installation token" },
  gho: { kind: "", label: "GitHub OAuth access token" },
  ghu: { kind: "", label: "GitHub App user-to-server token" },
  ghr: { kind: "", label: "GitHub refresh token" },
};

const checksum = (vendor: string) => (secret: string) =>
  hasTokenChecksum(secret) ? null : `its last 6 characters are not the CRC32 ${vendor} puts in every token`;

const fixed = (kind: string, label: string) => () => ({ kind, label });

/** between a section's name and one of its keys: the rest of the line, then at most 4 lines of other keys (YAML, JSON) */
const SECTION_GAP = String.raw`[^\S\n]{0,8}(?:\n[^\n]{0,120}){0,4}?\n?\s{0,16}`;
/** a key's end and its value's start: `: `, `=`, `": "`, `=>` */
const KEY_VALUE = String.raw`["']?\s{0,4}[:=]{1,2}>?\s{0,4}["']?`;

export const LIVE_RULES: readonly LiveRule[] = [
  {
    id: "devsecrets/github-token",
    describe: (secret) => GITHUB_KINDS[secret.slice(0, 3)] ?? { kind: "", label: "GitHub token" },
    pattern: /(?<![A-Za-z0-9_])(?<secret>gh[pousr]_[A-Za-z0-9]{36})(?![A-Za-z0-9])/g,
    keywords: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
    refute: checksum("GitHub"),
  },
  {
    id: "devsecrets/github-fine-grained-token",
    describe: fixed("github/fine-grained", "GitHub fine-grained personal access token"),
    pattern: /(?<![A-Za-z0-9_])(?<secret>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9])/g,
    keywords: ["github_pat_"],
  },
  {
    id: "devsecrets/npm-token",
    describe: fixed("npm/token", "npm access token"),
    pattern: /(?<![A-Za-z0-9_])(?<secret>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9])/g,
    keywords: ["npm_"],
    refute: checksum("npm"),
  },
  {
    id: "devsecrets/slack-token",
    describe: (secret) =>
      secret.startsWith("xoxb-")
        ? { kind: "slack/bot", label: "Slack bot token" }
        : { kind: "", label: "Slack user or app token" },
    pattern:
      /(?<![A-Za-z0-9])(?<secret>xox[bpae]-[0-9]{8,13}-[0-9]{8,13}(?:-[0-9]{8,13})?-[A-Za-z0-9]{24,32})(?![A-Za-z0-9])/g,
    keywords: ["xoxb-", "xoxp-", "xoxa-", "xoxe-"],
  },
  {
    id: "devsecrets/stripe-key",
    describe: (secret) =>
      secret.startsWith("rk_")
        ? {
            kind: "stripe/restricted-key",
            label: secret.includes("_live_") ? "Stripe live restricted key" : "Stripe test-mode restricted key",
          }
        : {
            kind: "stripe/secret-key",
            label: secret.includes("_live_") ? "Stripe live secret key" : "Stripe test-mode secret key",
          },
    pattern: /(?<![A-Za-z0-9_])(?<secret>(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{24,247})(?![A-Za-z0-9])/g,
    keywords: ["sk_live_", "rk_live_", "sk_test_", "rk_test_"],
  },
  {
    id: "devsecrets/stripe-webhook-secret",
    describe: fixed("stripe/webhook-secret", "Stripe webhook signing secret"),
    pattern: /(?<![A-Za-z0-9_])(?<secret>whsec_[A-Za-z0-9+/]{32,88})(?![A-Za-z0-9+/])/g,
    keywords: ["whsec_"],
  },
  {
    id: "devsecrets/twilio-api-key",
    describe: fixed("twilio/api-key", "Twilio API key SID"),
    pattern: /(?<![A-Za-z0-9])(?<secret>SK[0-9a-fA-F]{32})(?![A-Za-z0-9])/g,
    keywords: ["sk"],
  },
  {
    // Twilio's auth token and API key secret have no prefix: only a name that says Twilio and secret tells them
    id: "devsecrets/twilio-secret",
    describe: fixed("twilio/auth", "Twilio auth token or API key secret"),
    pattern:
      /twilio[\w.-]{0,24}?(?:auth|token|secret)[\w.-]{0,16}["']?\s{0,4}[:=]{1,2}>?\s{0,4}["']?(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9])/gi,
    keywords: ["twilio"],
  },
  {
    // the same under a section that says Twilio: YAML's `twilio:\n  auth_token: …`, JSON's `"twilio": {"authToken": …`
    id: "devsecrets/twilio-secret-in-section",
    describe: fixed("twilio/auth", "Twilio auth token or API key secret"),
    pattern: new RegExp(
      `twilio["']?\\s{0,4}[:=]\\s{0,4}\\{?${SECTION_GAP}["']?[\\w.-]{0,24}?(?:auth|token|secret)[\\w.-]{0,16}${KEY_VALUE}(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9])`,
      "gi",
    ),
    keywords: ["twilio"],
  },
  {
    // an account SID beside its auth token: `curl -u AC…:token`, `twilio('AC…', 'token')`
    id: "devsecrets/twilio-sid-and-token",
    describe: fixed("twilio/auth", "Twilio auth token beside its account SID"),
    pattern: /(?<![A-Za-z0-9])AC[0-9a-fA-F]{32}["']?\s{0,4}[:,]\s{0,4}["']?(?<secret>[0-9a-fA-F]{32})(?![A-Za-z0-9])/g,
    keywords: ["ac"],
  },
  {
    id: "devsecrets/aws-access-key-id",
    describe: (secret) =>
      secret.startsWith("ASIA")
        ? { kind: "aws/session", label: "AWS temporary access key id" }
        : { kind: "aws/access-key", label: "AWS access key id" },
    pattern: /(?<![A-Z0-9])(?<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Z0-9])/g,
    keywords: ["akia", "asia", "abia", "acca"],
  },
  {
    id: "devsecrets/aws-secret-access-key",
    describe: fixed("aws/access-key", "AWS secret access key"),
    pattern:
      /aws[\w.-]{0,20}?(?:secret|private)[\w.-]{0,20}["']?\s{0,4}[:=]{1,2}>?\s{0,4}["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    keywords: ["aws"],
  },
  {
    id: "devsecrets/openai-key",
    describe: fixed("openai/key", "OpenAI API key"),
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{58,74}T3BlbkFJ[A-Za-z0-9_-]{58,74}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}))(?![A-Za-z0-9_-])/g,
    keywords: ["t3blbkfj"],
  },
  {
    id: "devsecrets/sendgrid-key",
    describe: fixed("sendgrid/key", "SendGrid API key"),
    pattern: /(?<![A-Za-z0-9_-])(?<secret>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g,
    keywords: ["sg."],
  },
  {
    // PEM as a file holds it, or inside a JSON or notebook string with \n escapes
    id: "devsecrets/private-key",
    describe: fixed("tls/cert", "private key"),
    pattern:
      /(?<secret>-----BEGIN (?<type>[A-Z0-9 ]{0,40})PRIVATE KEY(?: BLOCK)?-----[\s\S]{64,}?-----END \k<type>PRIVATE KEY(?: BLOCK)?-----)/g,
    keywords: ["private key"],
  },
  {
    id: "devsecrets/jwt",
    describe: (secret) => ({ kind: jwtKind(secret), label: "JSON Web Token" }),
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})(?![A-Za-z0-9_-])/g,
    keywords: ["eyj"],
  },
  {
    // an HS256 signing secret is random text: only a name that says JWT and secret tells it
    id: "devsecrets/jwt-secret",
    describe: fixed("jwt/hs256", "JWT signing secret"),
    pattern:
      /jwt[\w.-]{0,16}?(?:secret|signing[_-]?key|hmac[_-]?key)[\w.-]{0,8}["']?\s{0,4}[:=]{1,2}>?\s{0,4}["']?(?<secret>[A-Za-z0-9+/_=-]{32,})(?![A-Za-z0-9+/_=-])/gi,
    keywords: ["jwt"],
  },
  {
    // the same under a `jwt:` section (YAML, JSON), or handed to jwt.sign/jwt.verify as a literal
    id: "devsecrets/jwt-secret-in-section",
    describe: fixed("jwt/hs256", "JWT signing secret"),
    pattern: new RegExp(
      `(?:jwt["']?\\s{0,4}[:=]\\s{0,4}\\{?${SECTION_GAP}["']?[\\w.-]{0,16}?(?:secret|signing[_-]?key|hmac[_-]?key)[\\w.-]{0,8}${KEY_VALUE}|jwt\\.(?:sign|verify)\\([^,()]{1,64},\\s{0,4}["'\`])(?<secret>[A-Za-z0-9+/_=-]{32,})(?![A-Za-z0-9+/_=-])`,
      "gi",
    ),
    keywords: ["jwt"],
  },
  {
    // a database password in the variable its client reads (PGPASSWORD, REDISCLI_AUTH) or a compose file sets: the live
    // form of postgres/role's and redis/server's password fields; gitleaks' generic rule finds these too. A reference
    // (DB_PASSWORD=keychain://db, vault://…) is what devsecrets.env holds instead, never a value
    id: "devsecrets/database-password",
    describe: (_secret, match) =>
      /^REDIS/i.test(match.groups?.name ?? "")
        ? { kind: "redis/server", label: "Redis password" }
        : { kind: "postgres/role", label: "PostgreSQL password" },
    pattern:
      /(?<![A-Za-z0-9_])(?<name>PG_?PASSWORD|POSTGRES(?:QL)?_PASSWORD|REDIS_PASSWORD|REDISCLI_AUTH|REDIS_AUTH|(?:DB|DATABASE)_PASS(?:WORD)?)["']?\s{0,4}[:=]{1,2}>?\s{0,4}["']?(?![a-z][a-z0-9+.-]*:\/\/)(?<secret>[^\s"'`$]{12,128})(?=["'`\s,;]|$)/gim,
    keywords: ["password", "_pass", "_auth"],
    refute: (secret) =>
      shannonEntropy(secret) < 3 ? "too few distinct characters for a generated database password" : null,
  },
  {
    id: "devsecrets/redis-url",
    describe: fixed("redis/server", "Redis URL with a password"),
    pattern: /rediss?:\/\/[^\s:/@"'`]{0,64}:(?<secret>[^\s@"'`/]{6,128})@[^\s"'`/]{1,253}/gi,
    keywords: ["redis"],
  },
  {
    id: "devsecrets/postgres-url",
    describe: fixed("postgres/role", "PostgreSQL URL with a password"),
    pattern: /postgres(?:ql)?:\/\/[^\s:/@"'`]{1,64}:(?<secret>[^\s@"'`/]{6,128})@[^\s"'`/]{1,253}/gi,
    keywords: ["postgres"],
  },
];

/** jwt/rs256, jwt/es256 or jwt/hs256 by the header's alg; "" when the header cannot be read */
function jwtKind(token: string): string {
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, token.indexOf(".")), "base64url").toString("utf8")) as {
      alg?: unknown;
    };
    return typeof header.alg === "string" && /^(RS|ES|HS)256$/.test(header.alg)
      ? `jwt/${header.alg.toLowerCase()}`
      : "";
  } catch {
    return "";
  }
}
