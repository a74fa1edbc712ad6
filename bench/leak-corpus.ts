// Writes the leak-scan corpus: realistic files (source, .env, YAML, JSON, shell history, notebooks), some holding one
// live-looking credential or one near miss (a placeholder, a documentation example, a sandbox fake) at a known line.
// Rule: every live-looking value is drawn from node:crypto over the vendor's alphabet, so none names an issued
// credential (bench/README.md says why no vendor would accept one); the corpus is written per run, never committed.

import { createHmac, generateKeyPairSync, randomBytes, randomInt } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MintedRegistryWriter } from "../common/minted-registry.js";
import { awsAccessKeyId } from "../daemon/sandbox/aws-key-id.js";
import { mintKind } from "../daemon/sandbox/mint.js";
import { BASE62, checksummedToken, DIGITS, HEX, randomString } from "../daemon/sandbox/random.js";
import { MemorySandboxSession } from "../daemon/sandbox/sandbox-session.js";

/** the credential families both devsecrets and gitleaks claim */
export const FAMILIES = [
  "github",
  "npm",
  "slack",
  "stripe",
  "twilio",
  "aws",
  "openai",
  "sendgrid",
  "private-key",
  "jwt",
] as const;
export type Family = (typeof FAMILIES)[number];
export type Sort = "live" | "placeholder" | "example" | "sandbox";

export interface Planted {
  file: string;
  /** 1-based line of the value's first character */
  line: number;
  family: Family;
  sort: Sort;
}

/** a variable name and the value, as a line of each file type would hold them */
interface Value {
  name: string;
  text: string;
}

const b62 = (n: number) => randomString(BASE62, n);
const b64url = (n: number) => randomBytes(n).toString("base64url").slice(0, n);

function jwt(subject: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const head = `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub: subject, iat: 1_760_000_000 + randomInt(1e6) })}`;
  return `${head}.${createHmac("sha256", randomBytes(32)).update(head).digest("base64url")}`;
}

function pem(): string {
  return generateKeyPairSync("ec", { namedCurve: "P-256" })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
}

/** a live-looking value of each family: the vendor's format, random content */
const LIVE: Record<Family, () => Value> = {
  github: () =>
    randomInt(4) === 0
      ? { name: "GH_TOKEN", text: `github_pat_11${b62(20)}_${b62(59)}` }
      : { name: "GITHUB_TOKEN", text: checksummedToken(["ghp_", "ghs_", "gho_"][randomInt(3)] as string) },
  npm: () => ({ name: "NPM_TOKEN", text: checksummedToken("npm_") }),
  slack: () => ({
    name: "SLACK_BOT_TOKEN",
    text: `xoxb-${randomString(DIGITS, 12)}-${randomString(DIGITS, 13)}-${b62(24)}`,
  }),
  stripe: () => ({ name: "STRIPE_SECRET_KEY", text: `${randomInt(2) ? "sk" : "rk"}_live_51${b62(97)}` }),
  twilio: () => ({ name: "TWILIO_API_KEY", text: `SK${randomString(HEX, 32)}` }),
  aws: () => ({ name: "AWS_ACCESS_KEY_ID", text: awsAccessKeyId("AKIA", String(100_000_000_000 + randomInt(8e11))) }),
  openai: () => ({ name: "OPENAI_API_KEY", text: `sk-proj-${b64url(74)}T3BlbkFJ${b64url(74)}` }),
  sendgrid: () => ({ name: "SENDGRID_API_KEY", text: `SG.${b64url(22)}.${b64url(43)}` }),
  "private-key": () => ({ name: "TLS_KEY", text: pem() }),
  jwt: () => ({ name: "SESSION_TOKEN", text: jwt(`user-${randomInt(1e6)}`) }),
};

const X = (n: number) => "x".repeat(n);

/** placeholders a template or a README would hold */
const PLACEHOLDER: Record<Family, () => Value> = {
  github: () => ({ name: "GITHUB_TOKEN", text: `ghp_${X(36)}` }),
  npm: () => ({ name: "NPM_TOKEN", text: `npm_${"X".repeat(36)}` }),
  slack: () => ({ name: "SLACK_BOT_TOKEN", text: `xoxb-000000000000-0000000000000-${X(24)}` }),
  stripe: () => ({ name: "STRIPE_SECRET_KEY", text: `sk_live_${X(24)}` }),
  twilio: () => ({ name: "TWILIO_API_KEY", text: `SK${"0".repeat(32)}` }),
  aws: () => ({ name: "AWS_ACCESS_KEY_ID", text: "AKIAXXXXXXXXXXXXXXXX" }),
  openai: () => ({ name: "OPENAI_API_KEY", text: `sk-proj-${X(74)}T3BlbkFJ${X(74)}` }),
  sendgrid: () => ({ name: "SENDGRID_API_KEY", text: `SG.${X(22)}.${X(43)}` }),
  "private-key": () => ({
    name: "TLS_KEY",
    text: `-----BEGIN PRIVATE KEY-----\n${".".repeat(64)}\n...paste your key here...\n-----END PRIVATE KEY-----\n`,
  }),
  jwt: () => ({ name: "SESSION_TOKEN", text: `eyJ${X(20)}.eyJ${X(30)}.${X(43)}` }),
};

/** documentation examples: the vendors' own published samples, and hand-typed tokens that fail the vendor's checks */
const EXAMPLE: Record<Family, () => Value> = {
  // typed by hand: the right shape, not the checksum GitHub sets in every token
  github: () => ({ name: "GITHUB_TOKEN", text: `ghp_${b62(30)}${b62(6)}` }),
  npm: () => ({ name: "NPM_TOKEN", text: `npm_${b62(30)}${b62(6)}` }),
  slack: () => ({ name: "SLACK_BOT_TOKEN", text: "xoxb-123456789012-1234567890123-abcdefghijklmnopqrstuvwx" }),
  stripe: () => ({ name: "STRIPE_SECRET_KEY", text: "sk_live_your_secret_key_here_1234567890" }),
  twilio: () => ({ name: "TWILIO_API_KEY", text: "SK0123456789abcdef0123456789abcdef" }),
  aws: () => ({ name: "AWS_ACCESS_KEY_ID", text: "AKIAIOSFODNN7EXAMPLE" }),
  openai: () => ({ name: "OPENAI_API_KEY", text: `sk-proj-example-${X(58)}T3BlbkFJ${X(58)}` }),
  sendgrid: () => ({
    name: "SENDGRID_API_KEY",
    text: "SG.your_api_key_here_xxx.replace-me-with-the-key-from-the-dashboard-xx",
  }),
  "private-key": () => ({
    name: "TLS_KEY",
    text: "-----BEGIN RSA PRIVATE KEY-----\n<insert your private key here, as issued by your certificate authority>\n-----END RSA PRIVATE KEY-----\n",
  }),
  // jwt.io's sample token
  jwt: () => ({
    name: "SESSION_TOKEN",
    text: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
  }),
};

/** the sandbox kind minted for each family's fakes, and the field a file would hold */
const SANDBOX: Record<Family, [kind: string, field: string | null, name: string]> = {
  github: ["github/pat", null, "GITHUB_TOKEN"],
  npm: ["npm/token", null, "NPM_TOKEN"],
  slack: ["slack/bot", null, "SLACK_BOT_TOKEN"],
  stripe: ["stripe/secret-key", null, "STRIPE_SECRET_KEY"],
  twilio: ["twilio/api-key", "sid", "TWILIO_API_KEY"],
  aws: ["aws/access-key", "id", "AWS_ACCESS_KEY_ID"],
  openai: ["openai/key", null, "OPENAI_API_KEY"],
  sendgrid: ["sendgrid/key", null, "SENDGRID_API_KEY"],
  "private-key": ["tls/cert", "key", "TLS_KEY"],
  jwt: ["jwt/rs256", null, "SESSION_TOKEN"],
};

const TYPES = ["ts", "py", "go", "env", "yaml", "json", "history", "ipynb"] as const;
type FileType = (typeof TYPES)[number];

const WORDS = ["order", "invoice", "user", "cart", "report", "queue", "image", "price", "event", "search"];

function fillerLines(type: FileType, n: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const w = WORDS[randomInt(WORDS.length)] as string;
    const k = randomInt(1000);
    switch (type) {
      case "ts":
        lines.push(
          `export function ${w}Total${k}(items: number[]): number { return items.reduce((a, b) => a + b, ${k}); }`,
        );
        break;
      case "py":
        lines.push(`def ${w}_total_${k}(items):\n    return sum(items) + ${k}`);
        break;
      case "go":
        lines.push(`func ${w}Total${k}(items []int) int { return len(items) + ${k} }`);
        break;
      case "env":
        lines.push(`${w.toUpperCase()}_LIMIT_${k}=${randomInt(5000)}`);
        break;
      case "yaml":
        lines.push(
          `${w}_${k}:\n  replicas: ${randomInt(9)}\n  image: registry.local/${w}:${randomInt(20)}.${randomInt(9)}`,
        );
        break;
      case "history":
        lines.push(`kubectl get pods -l app=${w}-${k} -o wide`);
        break;
      default:
        lines.push(`${w} ${k}`);
    }
  }
  return lines.join("\n").split("\n");
}

/** the assignment line (or lines) a file type uses for a name and value */
function assignment(type: FileType, value: Value): string {
  const { name, text } = value;
  const multiline = text.includes("\n");
  switch (type) {
    case "ts":
      return multiline ? `export const ${name.toLowerCase()} = \`${text}\`;` : `export const ${name} = "${text}";`;
    case "py":
      return multiline ? `${name} = """${text}"""` : `${name} = os.environ.get("${name}", "${text}")`;
    case "go":
      return multiline ? `const ${name} = \`${text}\`` : `var ${name} = "${text}"`;
    case "env":
      return multiline ? `${name}="${text.replaceAll("\n", "\\n")}"` : `${name}=${text}`;
    case "yaml":
      return multiline
        ? `${name.toLowerCase()}: |\n  ${text.trimEnd().replaceAll("\n", "\n  ")}`
        : `  ${name.toLowerCase()}: ${text}`;
    case "history":
      return multiline ? `echo '${text.replaceAll("\n", "\\n")}' > key.pem` : `export ${name}=${text}`;
    default:
      return `${name}=${text}`;
  }
}

/** a notebook (JSON) or JSON file: the planted value inside a string, at a known line of the serialised file */
function jsonFile(type: "json" | "ipynb", filler: string[], value: Value | null): { text: string; line: number } {
  if (type === "json") {
    const config: Record<string, unknown> = Object.fromEntries(filler.map((l, i) => [`setting_${i}`, l]));
    if (value) config[value.name.toLowerCase()] = value.text;
    const text = `${JSON.stringify(config, null, 2)}\n`;
    return { text, line: value ? lineOf(text, `"${value.name.toLowerCase()}"`) : 0 };
  }
  const source = filler.slice(0, 6).map((l) => `${l}\n`);
  if (value) source.splice(3, 0, `${value.name} = "${value.text.replaceAll("\n", "\\n")}"\n`);
  const notebook = {
    cells: [{ cell_type: "code", execution_count: 1, metadata: {}, outputs: [], source }],
    metadata: { kernelspec: { display_name: "Python 3", language: "python", name: "python3" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const text = `${JSON.stringify(notebook, null, 1)}\n`;
  return { text, line: value ? lineOf(text, `${value.name} = `) : 0 };
}

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  return at < 0 ? 0 : text.slice(0, at).split("\n").length;
}

export interface Corpus {
  planted: Planted[];
  files: number;
}

/**
 * `files` files under `root`; one in `plantEvery` holds one value: live or near miss in equal parts per family
 * (live 1/2; placeholder, example and sandbox 1/6 each). Sandbox fakes are minted by the real sandbox, which records
 * them in the minted registry at `registryPath` as the daemon would.
 */
export async function writeCorpus(root: string, files: number, registryPath: string, plantEvery = 4): Promise<Corpus> {
  const registry = new MintedRegistryWriter(registryPath);
  const session = new MemorySandboxSession();
  const planted: Planted[] = [];
  for (let i = 0; i < files; i++) {
    // a planted file's type turns with the family and again with each round of families, so every family lands in
    // every file type; folders mix types (a folder named env/ or venv/ is a virtualenv to gitleaks, and skipped)
    const n = i / plantEvery;
    const type = (
      i % plantEvery === 0 ? TYPES[(n + Math.floor(n / FAMILIES.length)) % TYPES.length] : TYPES[i % TYPES.length]
    ) as FileType;
    const dir = join(root, "src", `m${Math.floor(i / 100)}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `f${i}.${type === "history" ? "bash_history" : type}`);
    let value: Value | null = null;
    let family: Family = "github";
    let sort: Sort = "live";
    if (i % plantEvery === 0) {
      family = FAMILIES[n % FAMILIES.length] as Family;
      sort = (["live", "placeholder", "live", "example", "live", "sandbox"] as const)[
        Math.floor(n / FAMILIES.length) % 6
      ] as Sort;
      value = await plantedValue(family, sort, session, registry);
    }
    const filler = fillerLines(type, 20 + randomInt(30));
    let text: string;
    let line = 0;
    if (type === "json" || type === "ipynb") {
      ({ text, line } = jsonFile(type, filler, value));
    } else {
      const at = randomInt(filler.length);
      if (value) {
        filler.splice(at, 0, assignment(type, value));
        line = at + 1 + (type === "yaml" && value.text.includes("\n") ? 1 : 0);
      }
      text = `${filler.join("\n")}\n`;
    }
    writeFileSync(file, text);
    if (value) planted.push({ file: file.slice(root.length + 1), line, family, sort });
  }
  return { planted, files };
}

async function plantedValue(family: Family, sort: Sort, session: MemorySandboxSession, registry: MintedRegistryWriter) {
  if (sort === "live") return LIVE[family]();
  if (sort === "placeholder") return PLACEHOLDER[family]();
  if (sort === "example") return EXAMPLE[family]();
  const [kind, field, name] = SANDBOX[family];
  const { minted } = await mintKind(kind, {}, { session, now: () => new Date(), registry });
  const secret = "value" in minted ? minted.value : minted.fields[field ?? ""];
  return { name, text: secret?.reveal() ?? "" };
}
