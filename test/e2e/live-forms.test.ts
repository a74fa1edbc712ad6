// Every kind the daemon mints, as a user commits it: the fake passes `scan` and the pre-commit hook (also after the
// daemon that minted it is gone), its live-form counterpart is blocked by both and named by kind.
// Rule: live forms are built here from the vendors' published formats; no output holds a whole value.

import test from "ava";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { awsAccessKeyId } from "../../daemon/sandbox/aws-key-id.js";
import { BASE62, checksummedToken, DIGITS, HEX, randomString } from "../../daemon/sandbox/random.js";
import { disposeWorld } from "../helpers/daemon-process.js";
import { cli, makeWorld, type RunResult, runProcess, type World } from "../helpers/sandbox-env.js";

interface Finding {
  file: string;
  line: number;
  rule: string;
  kind: string;
  sandbox: boolean;
  why?: string;
}

let world: World;
test.before(() => {
  world = makeWorld();
});
test.after.always(() => disposeWorld(world));

async function git(dir: string, ...args: string[]): Promise<RunResult> {
  return runProcess("git", args, { cwd: dir, env: { ...world.env, PATH: "/usr/local/bin:/usr/bin:/bin" } });
}

async function repoWithHook(): Promise<string> {
  const dir = world.project({ "README.md": "hello\n" });
  await git(dir, "init", "-q");
  await git(dir, "config", "user.email", "t@example.com");
  await git(dir, "config", "user.name", "t");
  const install = await cli(world, ["hook", "install"], { cwd: dir });
  if (install.code !== 0) throw new Error(`hook install: ${install.stderr}`);
  return dir;
}

type Mint = { value?: string; fields?: Record<string, string> };

async function mint(kind: string): Promise<Mint> {
  const r = await cli(world, ["sandbox", "mint", kind, "--json"]);
  if (r.code !== 0) throw new Error(`mint ${kind}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Mint;
}

/** kind, how its fake sits in a file, and a live-form line built from the vendor's format */
const KINDS: Array<[kind: string, fake: (m: Mint) => string, live: () => string]> = [
  [
    "stripe/secret-key",
    (m) => `STRIPE_SECRET_KEY=${m.value}`,
    () => `STRIPE_SECRET_KEY=sk_live_51${randomString(BASE62, 97)}`,
  ],
  [
    "stripe/restricted-key",
    (m) => `STRIPE_KEY="${m.value}"`,
    () => `STRIPE_KEY="rk_live_51${randomString(BASE62, 97)}"`,
  ],
  ["stripe/webhook-secret", (m) => `whsec: ${m.value}`, () => `whsec: whsec_${randomString(BASE62, 32)}`],
  ["twilio/auth", (m) => `TWILIO_AUTH_TOKEN=${m.fields?.token}`, () => `TWILIO_AUTH_TOKEN=${randomString(HEX, 32)}`],
  ["twilio/api-key", (m) => `sid: ${m.fields?.sid}`, () => `sid: SK${randomString(HEX, 32)}`],
  ["github/pat", (m) => `token ${m.value}`, () => `token ${checksummedToken("ghp_")}`],
  ["github/app-installation", (m) => `GH_TOKEN=${m.value}`, () => `GH_TOKEN=${checksummedToken("ghs_")}`],
  [
    "github/fine-grained",
    (m) => `GH_TOKEN=${m.value}`,
    () => `GH_TOKEN=github_pat_11${randomString(BASE62, 20)}_${randomString(BASE62, 59)}`,
  ],
  [
    "npm/token",
    (m) => `//registry.npmjs.org/:_authToken=${m.value}`,
    () => `//registry.npmjs.org/:_authToken=${checksummedToken("npm_")}`,
  ],
  [
    "slack/bot",
    (m) => `SLACK_BOT_TOKEN=${m.value}`,
    () => `SLACK_BOT_TOKEN=xoxb-${randomString(DIGITS, 12)}-${randomString(DIGITS, 13)}-${randomString(BASE62, 24)}`,
  ],
  [
    "openai/key",
    (m) => `OPENAI_API_KEY=${m.value}`,
    () =>
      `OPENAI_API_KEY=sk-proj-${randomBytes(60).toString("base64url").slice(0, 74)}T3BlbkFJ${randomBytes(60).toString("base64url").slice(0, 74)}`,
  ],
  [
    "sendgrid/key",
    (m) => `SENDGRID_API_KEY=${m.value}`,
    () => `SENDGRID_API_KEY=SG.${randomString(BASE62, 22)}.${randomString(BASE62, 43)}`,
  ],
  [
    "aws/access-key",
    (m) => `AWS_ACCESS_KEY_ID=${m.fields?.id}`,
    () => `AWS_ACCESS_KEY_ID=${awsAccessKeyId("AKIA", "210987654321")}`,
  ],
  [
    "aws/session",
    (m) => `AWS_ACCESS_KEY_ID=${m.fields?.id}`,
    () => `AWS_ACCESS_KEY_ID=${awsAccessKeyId("ASIA", "210987654321")}`,
  ],
  ["jwt/hs256", (m) => `JWT_SECRET=${m.value}`, () => `JWT_SECRET=${randomBytes(32).toString("base64url")}`],
  [
    "tls/cert",
    (m) => JSON.stringify({ key: m.fields?.key }),
    () =>
      JSON.stringify({
        key: generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }),
      }),
  ],
];

async function mintAll(): Promise<{ fakes: string[]; values: string[] }> {
  const fakes: string[] = [];
  const values: string[] = [];
  for (const [kind, fake] of KINDS) {
    const minted = await mint(kind);
    fakes.push(fake(minted));
    values.push(...(minted.value ? [minted.value] : Object.values(minted.fields ?? {})));
  }
  return { fakes, values };
}

function noWholeValue(t: { false(v: boolean, m?: string): void }, r: RunResult, values: string[]): void {
  for (const v of values)
    t.false(r.stdout.includes(v) || r.stderr.includes(v), `output holds a value (${v.slice(0, 4)}…)`);
}

async function scanJson(dir: string, args: string[] = []): Promise<{ code: number | null; findings: Finding[] }> {
  const r = await cli(world, ["scan", "--json", ...args], { cwd: dir });
  return { code: r.code, findings: (JSON.parse(r.stdout) as { findings: Finding[] }).findings };
}

// serial: the second test stops the world's daemon
test.serial(
  "each minted kind passes scan and the hook; its live form is blocked by both and named by kind",
  async (t) => {
    const dir = await repoWithHook();
    const { fakes, values } = await mintAll();
    writeFileSync(join(dir, "fixtures.txt"), `${fakes.join("\n")}\n`);
    await git(dir, "add", "fixtures.txt");
    const commit = await git(dir, "commit", "-qm", "sandbox fixtures");
    t.is(commit.code, 0, commit.stdout + commit.stderr);
    const scan = await scanJson(dir);
    t.is(scan.code, 0);
    t.is(scan.findings.filter((f) => f.file === "fixtures.txt").length, KINDS.length, "every fake is reported");
    t.true(scan.findings.every((f) => f.sandbox));

    const live = KINDS.map(([, , make]) => make());
    writeFileSync(join(dir, "config.txt"), `${live.join("\n")}\n`);
    await git(dir, "add", "config.txt");
    const blocked = await git(dir, "commit", "-qm", "live");
    t.not(blocked.code, 0);
    for (let line = 1; line <= KINDS.length; line++)
      t.regex(blocked.stdout + blocked.stderr, new RegExp(`config\\.txt:${line}:\\d+ {2}devsecrets/`), `line ${line}`);
    const again = await scanJson(dir);
    t.is(again.code, 1);
    const flagged = again.findings.filter((f) => f.file === "config.txt");
    t.deepEqual(
      flagged.map((f) => f.line),
      KINDS.map((_, i) => i + 1),
    );
    t.true(flagged.every((f) => !f.sandbox));
    noWholeValue(t, blocked, values);
  },
);

test.serial("a fake minted by an earlier daemon still passes scan and the hook; --explain says why", async (t) => {
  const dir = await repoWithHook();
  const { fakes, values } = await mintAll();
  t.is((await cli(world, ["daemon", "stop"], { env: { DEVSECRETS_NO_AUTOSTART: "1" } })).code, 0);
  const started = await cli(world, ["daemon", "start"]);
  t.is(started.code, 0, started.stderr);
  writeFileSync(join(dir, "fixtures.txt"), `${fakes.join("\n")}\n`);
  await git(dir, "add", "fixtures.txt");
  const commit = await git(dir, "commit", "-qm", "fixtures from an earlier session");
  t.is(commit.code, 0, commit.stdout + commit.stderr);
  const explained = await scanJson(dir, ["--explain"]);
  t.is(explained.code, 0);
  const ours = explained.findings.filter((f) => f.file === "fixtures.txt");
  t.is(ours.length, KINDS.length);
  for (const f of ours) {
    t.true(f.sandbox, `line ${f.line}`);
    // the registry is asked before any marker: even a Stripe test key is known as this machine's own fake
    t.regex(f.why ?? "", /earlier session/, `line ${f.line}`);
  }
  const text = await cli(world, ["scan", "--explain"], { cwd: dir });
  t.regex(text.stdout, /^ {4}why: this machine's sandbox minted it in an earlier session \(github\/pat\)/m);
  noWholeValue(t, text, values);
});
