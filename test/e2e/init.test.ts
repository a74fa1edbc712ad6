// `devsecrets init` as a user runs it: a real .env becomes keychain items plus references, and `run` gives the app the same values.
// Rule: the output names variables and decisions, never values; a run killed half way is completed by the next, nothing lost.

import test from "ava";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { cli, makeWorld, type RunResult, type World } from "../helpers/sandbox-env.js";
import { disposeWorld } from "../helpers/daemon-process.js";
import { withSessionWorld } from "../helpers/session-world.js";
import { checksummedToken } from "../../daemon/sandbox/random.js";

const SECRET_NAMES = [
  "DB_PASSWORD",
  "STRIPE_SECRET_KEY",
  "GITHUB_TOKEN",
  "SESSION_SECRET",
  "SENTRY_DSN",
  "REDIS_URL",
  "WEBHOOK_SIGNING",
  "AWS_SECRET_ACCESS_KEY",
  "ADMIN_PASS",
  "JWT_PRIVATE",
];

/** 20 lines: 10 secrets (by name, URL credentials, entropy, secretlint) and 10 of plain config, comments and quotes included */
function dotenvText(): { text: string; values: Record<string, string> } {
  const values: Record<string, string> = {
    PORT: "3000",
    NODE_ENV: "development",
    LOG_LEVEL: "debug",
    API_BASE_URL: "https://api.example.com/v1",
    FEATURE_FLAGS: "search,export",
    APP_NAME: "Hello App",
    TIMEOUT_MS: "2500",
    DB_HOST: "localhost",
    DB_USER: "app",
    GREETING: "it's a nice day",
    DB_PASSWORD: `pw-${randomBytes(8).toString("hex")}`,
    STRIPE_SECRET_KEY: `sk_live_${randomBytes(18).toString("base64url")}`,
    GITHUB_TOKEN: checksummedToken("ghp_"),
    SESSION_SECRET: `a $literal ${randomBytes(6).toString("hex")}`,
    SENTRY_DSN: `https://${randomBytes(8).toString("hex")}@o1.ingest.sentry.io/42`,
    REDIS_URL: `redis://default:${randomBytes(8).toString("hex")}@localhost:6379`,
    WEBHOOK_SIGNING: randomBytes(24).toString("base64url"),
    AWS_SECRET_ACCESS_KEY: randomBytes(30).toString("base64"),
    ADMIN_PASS: `adm-${randomBytes(5).toString("hex")}`,
    JWT_PRIVATE: `jwt-${randomBytes(12).toString("hex")}`,
  };
  const lines = Object.entries(values).map(([name, value]) => {
    if (name === "SESSION_SECRET") return `${name}='${value}'`;
    if (name === "APP_NAME" || name === "GREETING") return `${name}="${value}"`;
    return `${name}=${value}`;
  });
  lines.splice(10, 0, "# secrets below");
  return { text: `# local settings\n${lines.join("\n")}\n`, values };
}

const PRINT_ENV = (names: string[]) => [
  process.execPath,
  "-e",
  `process.stdout.write(JSON.stringify(Object.fromEntries(${JSON.stringify(names)}.map((n) => [n, process.env[n]]))))`,
];

function noValues(t: { false(v: boolean, m?: string): void }, r: RunResult, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    if (SECRET_NAMES.includes(name))
      t.false(r.stdout.includes(value) || r.stderr.includes(value), `output holds the value of ${name}`);
  }
}

let world: World;
test.before(() => {
  world = makeWorld();
});
test.after.always(() => disposeWorld(world));

async function loginMemory(dir: string): Promise<void> {
  const r = await cli(world, ["login", "--store", "memory"], { cwd: dir });
  if (r.code !== 0) throw new Error(`login failed: ${r.stderr}`);
}

test.serial("without a login init stops with DS_SESSION_NONE before writing anything", async (t) => {
  const dir = world.project({ ".env": "A_TOKEN=abc\n" });
  const r = await cli(world, ["init"], { cwd: dir });
  t.is(r.code, 1);
  t.regex(r.stderr, /DS_SESSION_NONE/);
  t.regex(r.stderr, /hint: run `devsecrets login`/);
  t.false(existsSync(join(dir, "devsecrets.env")));
});

test.serial(
  "a 20-line .env becomes references plus keychain items, and run gives the app the same values",
  async (t) => {
    const { text, values } = dotenvText();
    const dir = world.project({ ".env": text });
    await loginMemory(dir);
    try {
      const r = await cli(world, ["init"], { cwd: dir });
      t.is(r.code, 0, r.stderr);
      noValues(t, r, values);
      const written = readFileSync(join(dir, "devsecrets.env"), "utf8");
      for (const name of SECRET_NAMES)
        t.regex(written, new RegExp(`^${name}=keychain://${name.toLowerCase().replaceAll("_", "-")}$`, "m"), name);
      t.regex(written, /^PORT=3000$/m);
      t.regex(written, /^API_BASE_URL=https:\/\/api\.example\.com\/v1$/m);
      t.regex(written, /^GREETING="it's a nice day"$/m);
      noValues(t, { code: 0, signal: null, stdout: written, stderr: "" }, values);
      t.regex(readFileSync(join(dir, ".gitignore"), "utf8"), /^\.env$/m);
      t.true(existsSync(join(dir, ".env")), "kept without --remove");

      const run = await cli(world, ["run", "--no-mask", "--", ...PRINT_ENV(Object.keys(values))], { cwd: dir });
      t.is(run.code, 0, run.stderr);
      t.deepEqual(JSON.parse(run.stdout), values);

      const again = await cli(world, ["init", "--remove", "--json"], { cwd: dir });
      t.is(again.code, 0, again.stderr);
      const report = JSON.parse(again.stdout) as { removed: boolean; variables: { name: string; decision: string }[] };
      t.true(report.removed);
      t.is(report.variables.filter((v) => v.decision === "keychain").length, 10);
      t.is(readFileSync(join(dir, "devsecrets.env"), "utf8"), written, "a second run leaves the file as it was");
      t.false(existsSync(join(dir, ".env")));
      const after = await cli(world, ["run", "--no-mask", "--", ...PRINT_ENV(Object.keys(values))], { cwd: dir });
      t.deepEqual(JSON.parse(after.stdout), values);
    } finally {
      await cli(world, ["logout"], { cwd: dir });
    }
  },
);

test.serial("an existing devsecrets.env is merged: the user's lines stay, only new names are added", async (t) => {
  const dir = world.project({
    ".env": "PORT=3000\nAPI_TOKEN=tok-123456789\nMINE=from-dotenv\n",
    "devsecrets.env": "# mine\nMINE=sandbox://random/hex\n",
  });
  await loginMemory(dir);
  try {
    const r = await cli(world, ["init"], { cwd: dir });
    t.is(r.code, 0, r.stderr);
    const written = readFileSync(join(dir, "devsecrets.env"), "utf8");
    t.true(written.startsWith("# mine\nMINE=sandbox://random/hex\n"));
    t.regex(written, /^API_TOKEN=keychain:\/\/api-token$/m);
    t.regex(r.stderr, /MINE: devsecrets\.env already defines it; your line was kept/);
  } finally {
    await cli(world, ["logout"], { cwd: dir });
  }
});

test.serial("init killed after the second keychain write loses nothing, and a re-run completes it", async (t) => {
  const { text, values } = dotenvText();
  const dir = world.project({ ".env": text });
  await loginMemory(dir);
  try {
    const crashed = await cli(world, ["init", "--remove"], {
      cwd: dir,
      env: { DEVSECRETS_TEST_HOOKS: "1", DEVSECRETS_TEST_INIT_CRASH_AFTER: "2" },
    });
    t.is(crashed.signal, "SIGKILL");
    t.is(readFileSync(join(dir, ".env"), "utf8"), text, "the .env is untouched");
    t.false(
      readFileSync(join(dir, "devsecrets.env"), "utf8").includes("keychain://"),
      "no reference yet to a value that may not be stored",
    );

    const rerun = await cli(world, ["init", "--remove"], { cwd: dir });
    t.is(rerun.code, 0, rerun.stderr);
    t.false(existsSync(join(dir, ".env")));
    const run = await cli(world, ["run", "--no-mask", "--", ...PRINT_ENV(Object.keys(values))], { cwd: dir });
    t.deepEqual(JSON.parse(run.stdout), values);
  } finally {
    await cli(world, ["logout"], { cwd: dir });
  }
});

test.serial("the crash hook is refused without DEVSECRETS_TEST_HOOKS=1", async (t) => {
  const dir = world.project({ ".env": "A_TOKEN=abcdefgh123\n" });
  const r = await cli(world, ["init"], { cwd: dir, env: { DEVSECRETS_TEST_INIT_CRASH_AFTER: "1" } });
  t.is(r.code, 2);
  t.regex(r.stderr, /needs DEVSECRETS_TEST_HOOKS=1/);
});

test("init with the real gnome-keyring: the values are keychain items of the project, run gives the same values", async (t) => {
  await withSessionWorld(t, {}, async (sw) => {
    const { text, values } = dotenvText();
    const dir = sw.world.project({ ".env": text }, "init-keyring");
    const login = await sw.run(["login"], { cwd: dir });
    t.is(login.code, 0, login.stderr);
    t.regex(login.stderr, /keychain store/);
    const r = await sw.run(["init", "--remove"], { cwd: dir });
    t.is(r.code, 0, r.stderr);
    noValues(t, r, values);
    const items = await sw.keychainItems();
    for (const name of SECRET_NAMES)
      t.true(items.includes(`/${name.toLowerCase().replaceAll("_", "-")}`), `keychain item for ${name}`);
    const run = await sw.run(["run", "--no-mask", "--", ...PRINT_ENV(Object.keys(values))], { cwd: dir });
    t.is(run.code, 0, run.stderr);
    t.deepEqual(JSON.parse(run.stdout), values);
    t.false(existsSync(join(dir, ".env")));
  });
});
