// Live credentials as real projects hold them, beyond `NAME=value` lines: a Twilio auth token and a JWT secret under a
// section of YAML or JSON (`twilio:\n  auth_token: …`, which gitleaks' generic rule finds), beside the account SID
// (`curl -u AC…:token`, `twilio('AC…', '…')`), handed to jwt.sign as a literal, and a Redis URL with a password (the
// live form of sandbox://redis/server#url). Before, `devsecrets scan` passed each of them with 0 findings.
// Rule: `devsecrets scan` as a user runs it; values are built here from the vendors' formats, none is real.

import test from "ava";
import { randomInt } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { disposeWorld } from "../helpers/daemon-process.js";
import { cli, makeWorld, type World } from "../helpers/sandbox-env.js";

let world: World;
test.before(() => {
  world = makeWorld();
});
test.after.always(() => disposeWorld(world));

const HEX = "0123456789abcdef";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const random = (alphabet: string, n: number) =>
  Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join("");

interface Finding {
  file: string;
  line: number;
  kind: string;
  sandbox: boolean;
}

async function scan(dir: string): Promise<{ code: number | null; findings: Finding[]; stderr: string }> {
  const out = await cli(world, ["scan", "--json", "."], { cwd: dir, env: { DEVSECRETS_NO_AUTOSTART: "1" } });
  return { code: out.code, findings: (JSON.parse(out.stdout) as { findings: Finding[] }).findings, stderr: out.stderr };
}

test("a Twilio token and a JWT secret under a YAML or JSON section, beside a SID, in jwt.sign, and a Redis URL with a password are leaks", async (t) => {
  const dir = join(world.root, "structured");
  mkdirSync(dir);
  const twilio = random(HEX, 32);
  const jwt = random(ALNUM, 48);
  const redis = random(ALNUM, 24);
  writeFileSync(
    join(dir, "config.yaml"),
    [
      "twilio:",
      `  account_sid: AC${random(HEX, 32)}`,
      `  auth_token: ${twilio}`,
      "jwt:",
      `  secret: ${jwt}`,
      "redis:",
      `  url: redis://:${redis}@cache.internal:6379/0`,
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "settings.json"),
    JSON.stringify({ twilio: { authToken: twilio }, jwt: { secret: jwt } }, null, 2),
  );
  writeFileSync(
    join(dir, "client.ts"),
    [
      `const client = require("twilio")("AC${random(HEX, 32)}", "${twilio}");`,
      `const token = jwt.sign(payload, "${jwt}");`,
      "",
    ].join("\n"),
  );
  writeFileSync(join(dir, "history.sh"), `curl -u AC${random(HEX, 32)}:${twilio} https://api.twilio.com/\n`);
  writeFileSync(join(dir, "app.env"), `REDIS_URL=rediss://default:${redis}@cache.internal:6380\n`);
  const { code, findings, stderr } = await scan(dir);
  t.is(code, 1, stderr);
  const at = (file: string, line: number) => findings.find((f) => f.file === file && f.line === line);
  const expected: Array<[string, number, RegExp]> = [
    ["config.yaml", 3, /twilio\/auth/],
    ["config.yaml", 5, /jwt\/hs256/],
    ["config.yaml", 7, /redis\/server/],
    ["settings.json", 3, /twilio\/auth/],
    ["settings.json", 6, /jwt\/hs256/],
    ["client.ts", 1, /twilio\/auth/],
    ["client.ts", 2, /jwt\/hs256/],
    ["history.sh", 1, /twilio\/auth/],
    ["app.env", 1, /redis\/server/],
  ];
  for (const [file, line, kind] of expected) {
    const finding = at(file, line);
    t.truthy(finding, `${file}:${line} not found: ${JSON.stringify(findings)}`);
    if (finding) {
      t.regex(finding.kind, kind, `${file}:${line}`);
      t.false(finding.sandbox);
    }
  }
});

test("placeholders under the same sections, a Redis URL without a password and env lookups are no finding", async (t) => {
  const dir = join(world.root, "near-misses");
  mkdirSync(dir);
  writeFileSync(
    join(dir, "config.yaml"),
    [
      "twilio:",
      "  account_sid: ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
      "  auth_token: your_auth_token_here",
      "jwt:",
      "  secret: ${JWT_SECRET}",
      "redis:",
      "  url: redis://localhost:6379/0",
      "  other: redis://:changeme@localhost:6379",
      "  templated: redis://${REDIS_USER}:${REDIS_PASSWORD}@cache:6379",
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "client.ts"),
    "const token = jwt.sign(payload, process.env.JWT_SECRET);\nconst c = twilio(process.env.SID, process.env.TOKEN);\n",
  );
  const { code, findings, stderr } = await scan(dir);
  t.deepEqual(findings, [], stderr);
  t.is(code, 0, stderr);
});

test("a database password in PGPASSWORD, POSTGRES_PASSWORD, REDIS_PASSWORD or DB_PASSWORD is a leak; defaults and holes are not", async (t) => {
  const dir = join(world.root, "database-passwords");
  mkdirSync(dir);
  const password = () => random(ALNUM, 20);
  writeFileSync(
    join(dir, "app.env"),
    `PGPASSWORD=${password()}\nREDISCLI_AUTH=${password()}\nDB_PASSWORD="${password()}"\n`,
  );
  writeFileSync(
    join(dir, "compose.yaml"),
    [
      "services:",
      "  db:",
      "    environment:",
      `      POSTGRES_PASSWORD: ${password()}`,
      "  cache:",
      `    command: redis-server --requirepass x`,
      "    environment:",
      `      - REDIS_PASSWORD=${password()}`,
      "",
    ].join("\n"),
  );
  const near = join(dir, "near");
  mkdirSync(near);
  writeFileSync(
    join(near, "defaults.env"),
    [
      "POSTGRES_PASSWORD=postgres",
      "DB_PASSWORD=changeme",
      "PGPASSWORD=${PGPASSWORD}",
      "REDIS_PASSWORD=",
      "DB_PASSWORD=your-db-password-here",
      "DATABASE_PASSWORD=aaaaaaaaaaaaaaaa",
      "DB_PASSWORD=keychain://db-password",
      "PGPASSWORD=vault://secret/data/app#password",
      "REDIS_PASSWORD=sandbox://redis/server#password",
      "",
    ].join("\n"),
  );
  const { findings, stderr } = await scan(dir);
  const at = (file: string, line: number) => findings.find((f) => f.file === file && f.line === line);
  for (const [file, line, kind] of [
    ["app.env", 1, /postgres\/role/],
    ["app.env", 2, /redis\/server/],
    ["app.env", 3, /postgres\/role/],
    ["compose.yaml", 4, /postgres\/role/],
    ["compose.yaml", 8, /redis\/server/],
  ] as const) {
    const finding = at(file, line);
    t.truthy(finding, `${file}:${line} not found: ${JSON.stringify(findings)} ${stderr}`);
    if (finding) t.regex(finding.kind, kind, `${file}:${line}`);
  }
  t.deepEqual(
    findings.filter((f) => f.file.startsWith("near")),
    [],
    "defaults, placeholders, holes, runs and references are no leak",
  );
});
