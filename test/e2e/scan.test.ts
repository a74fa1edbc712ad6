// `devsecrets scan` as a user runs it: planted secrets in a real git repository, the real daemon's served values.
// Rule: every assertion on output also checks that no whole secret was printed.

import test from "ava";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, makeWorld, runProcess, type RunResult, type World } from "../helpers/sandbox-env.js";
import { disposeWorld } from "../helpers/daemon-process.js";
import { checksummedToken } from "../../daemon/sandbox/random.js";
import { awsAccessKeyId } from "../../daemon/sandbox/aws-key-id.js";

interface Finding {
  file: string;
  line: number;
  column: number;
  rule: string;
  kind: string;
  preview: string;
  sandbox: boolean;
}
interface Report {
  findings: Finding[];
  scanned: number;
}

let world: World;
test.before(() => {
  world = makeWorld();
});
test.after.always(() => disposeWorld(world));

async function gitRepo(files: Record<string, string>): Promise<string> {
  const dir = world.project(files);
  for (const args of [
    ["init", "-q"],
    ["config", "user.email", "t@example.com"],
    ["config", "user.name", "t"],
  ]) {
    const r = await runProcess("git", args, { cwd: dir });
    if (r.code !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  }
  return dir;
}

function noWholeSecret(t: { false(v: boolean, m?: string): void }, r: RunResult, secrets: string[]): void {
  for (const s of secrets)
    t.false(r.stdout.includes(s) || r.stderr.includes(s), `output holds a whole secret (${s.slice(0, 4)}…)`);
}

function realAwsPair(): [string, string] {
  return [awsAccessKeyId("AKIA", "210987654321"), randomBytes(30).toString("base64")];
}

test("planted AWS key pair, GitHub token and private key are found with file:line:column; exit 1; no whole secret printed", async (t) => {
  const [id, secret] = realAwsPair();
  // a valid checksum makes it look exactly like an issued token; nobody served it, so it is real as far as scan knows
  const github = checksummedToken("ghp_");
  const pem = generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
  const dir = await gitRepo({
    "config.js": `export const region = "eu-west-1";\nexport const aws = {\n  accessKeyId: "${id}",\n  aws_secret_access_key: "${secret}",\n};\n`,
    "deploy.sh": `#!/bin/sh\ncurl -H "Authorization: token ${github}" https://api.github.com/user\n`,
    "server.pem": `${pem}`,
    "README.md": "nothing to see\n",
  });
  const r = await cli(world, ["scan"], { cwd: dir });
  t.is(r.code, 1, r.stderr);
  t.regex(r.stdout, /^config\.js:3:\d+ {2}devsecrets\/aws-access-key-id /m);
  t.regex(r.stdout, /^config\.js:4:\d+ {2}devsecrets\/aws-secret-access-key /m);
  t.regex(r.stdout, /^deploy\.sh:2:\d+ {2}devsecrets\/github-token /m);
  t.regex(r.stdout, /^server\.pem:1:1 {2}devsecrets\/private-key /m);
  t.regex(r.stderr, /4 findings in 4 files/);
  const one = await cli(world, ["scan", "deploy.sh"], { cwd: dir });
  t.is(one.code, 1, one.stderr);
  t.regex(one.stderr, /1 finding in 1 file\b(?! files)/, "one file is counted in the singular");
  noWholeSecret(t, r, [id, secret, github, pem.trim(), pem.split("\n")[1] as string]);

  const json = await cli(world, ["scan", "--json"], { cwd: dir });
  t.is(json.code, 1);
  const report = JSON.parse(json.stdout) as Report;
  t.is(report.scanned, 4);
  t.deepEqual(Object.keys(report.findings[0] as object).sort(), [
    "column",
    "file",
    "kind",
    "line",
    "preview",
    "rule",
    "sandbox",
  ]);
  t.true(report.findings.every((f) => !f.sandbox && f.preview.includes("…")));
  noWholeSecret(t, json, [id, secret, github]);
});

// serial: login and logout replace the daemon's session, and with it what it served
test.serial(
  "sandbox tokens served this session (mint and sandbox:// references) are reported as harmless and pass",
  async (t) => {
    const dir = await gitRepo({ "devsecrets.env": "HEX=sandbox://random/hex\nPAT=sandbox://github/pat\n" });
    const minted = await cli(world, ["sandbox", "mint", "github/pat"], { cwd: dir });
    t.is(minted.code, 0, minted.stderr);
    const aws = JSON.parse(
      (await cli(world, ["sandbox", "mint", "aws/access-key", "--json"], { cwd: dir })).stdout,
    ) as { fields: { id: string; secret: string } };
    const env = JSON.parse((await cli(world, ["env", "--format", "json"], { cwd: dir })).stdout) as {
      HEX: string;
      PAT: string;
    };
    const token = minted.stdout.trim();
    writeFileSync(
      join(dir, "fixture.js"),
      `const gh = "${token}";\nconst hex = '${env.HEX}';\nconst pat = "${env.PAT}";\nAWS_ACCESS_KEY_ID=${aws.fields.id}\naws_secret_access_key = "${aws.fields.secret}"\n`,
    );
    const r = await cli(world, ["scan"], { cwd: dir });
    t.is(r.code, 0, r.stdout + r.stderr);
    t.regex(r.stdout, /^fixture\.js:1:\d+ .*sandbox token \(harmless\): github\/pat/m);
    t.regex(r.stdout, /^fixture\.js:2:\d+ {2}devsecrets\/served-value {2}sandbox token \(harmless\): random\/hex/m);
    t.regex(r.stdout, /^fixture\.js:4:\d+ .*sandbox token \(harmless\): aws\/access-key/m);
    t.regex(r.stdout, /^fixture\.js:5:\d+ .*sandbox token \(harmless\): aws\/access-key/m);
    t.regex(r.stderr, /0 findings in \d+ files \(5 sandbox tokens, harmless\)/);
    noWholeSecret(t, r, [token, env.HEX, env.PAT, aws.fields.secret]);
  },
);

test.serial("a keychain:// value set this session is found in a file although no rule knows its shape", async (t) => {
  const dir = await gitRepo({ "devsecrets.env": "DB=keychain://db-password\n" });
  const login = await cli(world, ["login", "--store", "memory"], { cwd: dir });
  t.is(login.code, 0, login.stderr);
  try {
    const value = `plain words ${randomBytes(6).toString("hex")}`;
    const set = await cli(world, ["set", "db-password"], { cwd: dir, input: `${value}\n` });
    t.is(set.code, 0, set.stderr);
    writeFileSync(join(dir, "notes.txt"), `first line\nthe db password is "${value}" (do not share)\n`);
    const r = await cli(world, ["scan", "--json"], { cwd: dir });
    t.is(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    const hit = report.findings.find((f) => f.file === "notes.txt");
    t.like(hit, { line: 2, column: 21, rule: "devsecrets/served-value", sandbox: false });
    noWholeSecret(t, r, [value]);
  } finally {
    await cli(world, ["logout"], { cwd: dir });
  }
});

test("a tracked .env (and devsecrets.local.env) is a finding; .env.example and ignored files are not", async (t) => {
  const dir = await gitRepo({
    ".env": "PORT=3000\n",
    ".env.example": "PORT=\n",
    "devsecrets.local.env": "A=1\n",
    ".gitignore": "ignored/\n",
  });
  world.project(
    { "leak.js": `const t = "${checksummedToken("ghp_")}";\n` },
    join(dir.slice(world.root.length + 1), "ignored"),
  );
  await runProcess("git", ["add", ".env", ".env.example", "devsecrets.local.env"], { cwd: dir });
  const r = await cli(world, ["scan", "--json"], { cwd: dir });
  const report = JSON.parse(r.stdout) as Report;
  t.deepEqual(report.findings.map((f) => `${f.file} ${f.rule}`).sort(), [
    ".env devsecrets/tracked-env-file",
    "devsecrets.local.env devsecrets/tracked-env-file",
  ]);
  t.is(r.code, 1);
});

test("--staged scans the index, not the work tree", async (t) => {
  const github = checksummedToken("ghp_");
  const dir = await gitRepo({ "a.js": `const t = "${github}";\n` });
  const clean = await cli(world, ["scan", "--staged"], { cwd: dir });
  t.is(clean.code, 0, clean.stderr);
  await runProcess("git", ["add", "a.js"], { cwd: dir });
  writeFileSync(join(dir, "a.js"), "fixed in the work tree, not staged\n");
  const staged = await cli(world, ["scan", "--staged"], { cwd: dir });
  t.is(staged.code, 1);
  t.regex(staged.stdout, /^a\.js:1:\d+ {2}devsecrets\/github-token/m);
  noWholeSecret(t, staged, [github]);
});

test("outside a repository the walk skips node_modules, .git and dist; binary files are skipped", async (t) => {
  const github = checksummedToken("ghp_");
  const dir = world.project({ "src.js": `x = "${github}"\n` });
  world.project(
    { "dep.js": `x = "${checksummedToken("ghp_")}"\n` },
    join(dir.slice(world.root.length + 1), "node_modules", "dep"),
  );
  world.project({ "out.js": `x = "${checksummedToken("ghp_")}"\n` }, join(dir.slice(world.root.length + 1), "dist"));
  writeFileSync(join(dir, "blob.bin"), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(github)]));
  const r = await cli(world, ["scan", "--json"], { cwd: dir });
  const report = JSON.parse(r.stdout) as Report;
  t.deepEqual(
    report.findings.map((f) => f.file),
    ["src.js"],
  );
  t.is(report.scanned, 1);
});

test("scan --help shows an example; a missing path is bad usage (exit 2)", async (t) => {
  const help = await cli(world, ["scan", "--help"]);
  t.is(help.code, 0);
  t.regex(help.stdout, /\$ devsecrets scan --staged/);
  const missing = await cli(world, ["scan", "no/such/path"]);
  t.is(missing.code, 2);
  t.regex(missing.stderr, /no such file or folder: no\/such\/path/);
});
