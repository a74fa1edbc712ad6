// The Node preload as apps use it: ESM --import, CommonJS -r, NODE_OPTIONS into child processes, no hang, events.
// Rule: a real daemon in a private world; a contract stand-in only for what a real daemon cannot be made to do (answer 404).

import test from "ava";
import { existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { spawn } from "node:child_process";
import { REPO_ROOT, cli, makeWorld, runProcess, waitFor, type World } from "../helpers/sandbox-env.js";
import {
  REGISTER_CJS,
  REGISTER_ESM,
  requireBuild,
  startDaemon,
  stopAndClean,
  stopDaemon,
} from "../fixtures/shims/real-daemon.js";
import { startEventsDaemon } from "../fixtures/shims/events-daemon.js";

const APPS = join(REPO_ROOT, "test", "fixtures", "shims", "apps");
const PROJECT = { "devsecrets.env": "APP_NAME=hello\nTOKEN=sandbox://github/pat\n" };

let world: World;
let pid: number | undefined;
let project: string;

test.before(async () => {
  requireBuild(REGISTER_ESM, REGISTER_CJS);
  world = makeWorld();
  pid = await startDaemon(world);
  project = world.project(PROJECT, "app");
  // `devsecrets/register` from the project's node_modules, as after `npm install devsecrets`
  mkdirSync(join(project, "node_modules"));
  symlinkSync(REPO_ROOT, join(project, "node_modules", "devsecrets"));
});

test.after.always(() => stopAndClean(world, pid));

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { ...world.env, DEVSECRETS_NO_AUTOSTART: "1", ...extra };
}

function lines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

test("ESM: --import devsecrets/register fills process.env before the app's first import runs, and the app exits by itself", async (t) => {
  const result = await runProcess(process.execPath, ["--import", "devsecrets/register", join(APPS, "first-line.mjs")], {
    cwd: project,
    env: env(),
    timeoutMs: 20_000,
  });
  t.is(result.signal, null, "the app was not killed: the subscription does not hold it open");
  t.is(result.code, 0, result.stderr);
  const [seen] = lines(result.stdout);
  const seenAtImport = seen?.seenAtImport as Record<string, string> | undefined;
  t.deepEqual(seenAtImport?.APP_NAME, "hello");
  t.regex(String(seenAtImport?.TOKEN), /^ghp_/);
  t.is(seen?.APP_NAME, "hello");
});

test("CommonJS: -r devsecrets/register fills process.env before the app's first line", async (t) => {
  const result = await runProcess(process.execPath, ["-r", "devsecrets/register", join(APPS, "first-line.cjs")], {
    cwd: project,
    env: env(),
    timeoutMs: 20_000,
  });
  t.is(result.signal, null);
  t.is(result.code, 0, result.stderr);
  const [seen] = lines(result.stdout);
  t.is(seen?.APP_NAME, "hello");
  t.regex(String(seen?.TOKEN), /^ghp_/);
});

// what each preload may load before the app's first line: the pipe handle, never node:net (~4 ms) nor a worker (~30 ms).
// Read before the app touches stdout, which loads node:net itself.
const FIRST_LINE_MODULES =
  "const m = process.moduleLoadList.filter((n) => /^NativeModule (net|stream|worker_threads|http|os)$/.test(n)); process.stdout.write(JSON.stringify({ m, token: process.env.TOKEN }));";

for (const [way, flags] of [
  ["--import", ["--import", "devsecrets/register"]],
  ["-r", ["-r", "devsecrets/register"]],
] as const) {
  test(`${way}: the preload loads neither node:net nor a worker thread before the app's first line`, async (t) => {
    const result = await runProcess(process.execPath, [...flags, "-e", FIRST_LINE_MODULES], {
      cwd: project,
      env: env(),
      timeoutMs: 20_000,
    });
    t.is(result.code, 0, result.stderr);
    const seen = JSON.parse(result.stdout) as { m: string[]; token: string };
    t.regex(seen.token, /^ghp_/);
    t.deepEqual(seen.m, []);
  });
}

test("NODE_OPTIONS=--import: a child process the app spawns sees the same values, without a second kept line", async (t) => {
  const result = await runProcess(process.execPath, [join(APPS, "spawns-child.mjs")], {
    cwd: project,
    env: env({ NODE_OPTIONS: `--import=${REGISTER_ESM}`, APP_NAME: "from-the-shell" }),
    timeoutMs: 20_000,
  });
  t.is(result.code, 0, result.stderr);
  const [seen] = lines(result.stdout) as Array<{ parent: Record<string, string>; child: Record<string, string> }>;
  t.is(seen?.parent.APP_NAME, "from-the-shell", "the caller's value wins");
  t.regex(seen?.parent.TOKEN ?? "", /^ghp_/);
  t.deepEqual(seen?.child, seen?.parent, "the child agrees with its parent");
  t.is(result.stderr.match(/kept from your environment: APP_NAME/g)?.length, 1, result.stderr);
});

test("a worker thread the app starts sees the values without asking the daemon again (-r preloads run in workers too)", async (t) => {
  // a project of its own: the audit counts this test's requests only
  const own = world.project({ "devsecrets.env": "WORKER_TOKEN=sandbox://github/pat\n" }, "worker-app");
  const app = [
    "const { Worker } = require('node:worker_threads');",
    "const worker = new Worker(\"require('node:worker_threads').parentPort.postMessage(process.env.WORKER_TOKEN ?? null)\", { eval: true });",
    "worker.once('message', (seen) => process.stdout.write(JSON.stringify({ main: process.env.WORKER_TOKEN, worker: seen }) + '\\n'));",
  ].join("\n");
  const audit = join(world.env.XDG_STATE_HOME as string, "devsecrets", "audit.jsonl");
  const served = () =>
    readFileSync(audit, "utf8")
      .split("\n")
      .filter((line) => line.includes('"variable":"WORKER_TOKEN"')).length;
  for (const flag of [
    ["--import", REGISTER_ESM],
    ["-r", REGISTER_CJS],
  ]) {
    const before = existsSync(audit) ? served() : 0;
    // override: a second resolve would serve (and audit) WORKER_TOKEN again instead of keeping the inherited copy
    const result = await runProcess(process.execPath, [...flag, "-e", app], {
      cwd: own,
      env: env({ DEVSECRETS_OVERRIDE: "1" }),
      timeoutMs: 20_000,
    });
    t.is(result.code, 0, result.stderr);
    const [seen] = lines(result.stdout) as Array<{ main: string; worker: string | null }>;
    t.regex(seen?.main ?? "", /^ghp_/, flag[0]);
    t.is(seen?.worker, seen?.main, `${flag[0]}: the worker has the main thread's copy`);
    t.is(served() - before, 1, `${flag[0]}: one resolve for the process, none for its worker`);
  }
});

test("register.js loaded inside a worker thread does not resolve: the worker keeps its copy of the environment", async (t) => {
  // Node 20 runs --import preloads in the main thread only; a later Node, or an app importing the preload itself,
  // runs it in a worker: shims/node/register.ts must tell (it asks without loading node:worker_threads)
  const own = world.project({ "devsecrets.env": "INWORKER_TOKEN=sandbox://github/pat\n" }, "worker-import");
  const inWorker = `import(${JSON.stringify(pathToFileURL(REGISTER_ESM).href)}).then(() => require("node:worker_threads").parentPort.postMessage(process.env.INWORKER_TOKEN ?? null))`;
  const app = [
    "const { Worker } = require('node:worker_threads');",
    `const worker = new Worker(${JSON.stringify(inWorker)}, { eval: true });`,
    "worker.once('message', (seen) => process.stdout.write(JSON.stringify({ worker: seen }) + '\\n'));",
  ].join("\n");
  const audit = join(world.env.XDG_STATE_HOME as string, "devsecrets", "audit.jsonl");
  const served = () =>
    existsSync(audit)
      ? readFileSync(audit, "utf8")
          .split("\n")
          .filter((line) => line.includes('"variable":"INWORKER_TOKEN"')).length
      : 0;
  const before = served();
  const result = await runProcess(process.execPath, ["-e", app], {
    cwd: own,
    env: env({ DEVSECRETS_OVERRIDE: "1" }),
    timeoutMs: 20_000,
  });
  t.is(result.code, 0, result.stderr);
  t.deepEqual(lines(result.stdout)[0], { worker: null }, "the worker did not fill its own environment");
  t.is(served() - before, 0, "no resolve from the worker");
});

test("-r with NODE_OPTIONS works the same for CommonJS apps", async (t) => {
  const result = await runProcess(process.execPath, [join(APPS, "first-line.cjs")], {
    cwd: project,
    env: env({ NODE_OPTIONS: `-r ${REGISTER_CJS}` }),
    timeoutMs: 20_000,
  });
  t.is(result.code, 0, result.stderr);
  t.is(lines(result.stdout)[0]?.APP_NAME, "hello");
});

test("no daemon: error and hint on stderr and exit 1 (ESM and CommonJS); DEVSECRETS_OPTIONAL=1 warns and runs the app", async (t) => {
  const nobody = { DEVSECRETS_SOCKET: join(world.root, "nobody.sock") };
  for (const flag of [
    ["--import", REGISTER_ESM],
    ["-r", REGISTER_CJS],
  ]) {
    const failed = await runProcess(process.execPath, [...flag, join(APPS, "first-line.cjs")], {
      cwd: project,
      env: env(nobody),
    });
    t.is(failed.code, 1);
    t.is(failed.stdout, "", "the app did not start");
    t.regex(
      failed.stderr,
      /^devsecrets: error DS_DAEMON_UNREACHABLE: no daemon answers on .*nobody\.sock \(ENOENT\)$/m,
    );
    t.regex(failed.stderr, /^devsecrets: hint: start it with `devsecrets daemon start`/m);
    const optional = await runProcess(process.execPath, [...flag, join(APPS, "first-line.cjs")], {
      cwd: project,
      env: env({ ...nobody, DEVSECRETS_OPTIONAL: "1" }),
    });
    t.is(optional.code, 0, optional.stderr);
    t.deepEqual(lines(optional.stdout)[0], {});
    t.regex(optional.stderr, /^devsecrets: continuing without the project's variables/m);
  }
});

test("autostart: with nobody answering and autostart allowed, the preload starts the daemon", async (t) => {
  const other = makeWorld();
  try {
    const app = other.project(PROJECT, "app");
    const result = await runProcess(process.execPath, ["--import", REGISTER_ESM, join(APPS, "first-line.cjs")], {
      cwd: app,
      env: other.env,
      timeoutMs: 30_000,
    });
    t.is(result.code, 0, result.stderr);
    t.is(lines(result.stdout)[0]?.APP_NAME, "hello");
  } finally {
    const status = await cli(other, ["daemon", "status", "--json"], { env: { DEVSECRETS_NO_AUTOSTART: "1" } });
    await stopDaemon(other, status.code === 0 ? (JSON.parse(status.stdout) as { pid: number }).pid : undefined);
    await other.cleanup();
  }
});

test("real daemon: the subscription hears `wipe` when the daemon stops", async (t) => {
  const other = makeWorld();
  const otherPid = await startDaemon(other);
  try {
    const app = other.project({ "devsecrets.env": "ROTATING=one\n" }, "app");
    const child = spawn(process.execPath, [join(APPS, "waits-for-events.mjs")], {
      cwd: app,
      env: { ...other.env, DEVSECRETS_NO_AUTOSTART: "1", NODE_OPTIONS: `--import=${REGISTER_ESM}`, WAIT_FOR: "wipe" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await waitFor(() => stdout.includes('"subscribed"'), 10_000, "the app's subscription");
    await cli(other, ["daemon", "stop"], { env: { DEVSECRETS_NO_AUTOSTART: "1" } });
    t.is(await exited, 0, stdout);
    const events = lines(stdout);
    t.deepEqual(events.slice(0, 2), [{ event: "start", ROTATING: "one" }, { event: "subscribed" }]);
    t.like(events[2], { event: "wipe" });
  } finally {
    await stopDaemon(other, otherPid);
    await other.cleanup();
  }
});

test("real daemon: `devsecrets set` rotates a keychain:// value and the running app sees the new one; logout says wipe", async (t) => {
  const other = makeWorld();
  const otherPid = await startDaemon(other);
  try {
    const app = other.project({ "devsecrets.env": "ROTATING=keychain://rotating-key\n" }, "app");
    const quiet = { DEVSECRETS_NO_AUTOSTART: "1" };
    const login = await cli(other, ["login", "--store", "memory"], { cwd: app, env: quiet });
    t.is(login.code, 0, login.stderr);
    t.is((await cli(other, ["set", "rotating-key"], { cwd: app, env: quiet, input: "value-one" })).code, 0);
    const child = spawn(process.execPath, ["--import", REGISTER_ESM, join(APPS, "waits-for-events.mjs")], {
      cwd: app,
      env: { ...other.env, ...quiet, WAIT_FOR: "wipe" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await waitFor(() => stdout.includes('"subscribed"'), 10_000, "the app's subscription");
    const set = await cli(other, ["set", "rotating-key", "--force"], { cwd: app, env: quiet, input: "value-two" });
    t.is(set.code, 0, set.stderr);
    await waitFor(() => stdout.includes('"rotate"'), 10_000, "the rotate event in the app");
    const logout = await cli(other, ["logout"], { cwd: app, env: quiet });
    t.is(logout.code, 0, logout.stderr);
    t.is(await exited, 0, stderr);
    t.deepEqual(lines(stdout), [
      { event: "start", ROTATING: "value-one" },
      { event: "subscribed" },
      { event: "rotate", names: ["ROTATING"], ROTATING: "value-two" },
      { event: "wipe", reason: "logout" },
    ]);
  } finally {
    await stopDaemon(other, otherPid);
    await other.cleanup();
  }
});

test("a daemon that answers /v1/events with 404: no subscription, no noise, the app runs and exits", async (t) => {
  const socket = join(world.root, "no-events.sock");
  const daemon = await startEventsDaemon(socket, false);
  try {
    const result = await runProcess(process.execPath, ["--import", REGISTER_ESM, join(APPS, "first-line.cjs")], {
      cwd: project,
      env: env({ DEVSECRETS_SOCKET: socket }),
      timeoutMs: 10_000,
    });
    t.is(result.code, 0, result.stderr);
    t.is(result.stderr, "");
  } finally {
    await daemon.close();
  }
});

test("NODE_OPTIONS reaches devsecrets' own CLI, which does not load a project (ESM and CommonJS preloads)", async (t) => {
  for (const options of [`--import=${REGISTER_ESM}`, `-r ${REGISTER_CJS}`]) {
    const result = await cli(world, ["shim", "path", "go"], {
      cwd: world.root,
      env: { NODE_OPTIONS: options, DEVSECRETS_NO_AUTOSTART: "1" },
    });
    t.is(result.code, 0, result.stderr);
    t.is(result.stderr, "");
  }
});

// DESIGN "DEVSECRETS_* dialect": the preloads read DEVSECRETS_OVERRIDE, DEVSECRETS_ENV and DEVSECRETS_OPTIONAL as `run`
// does; a value outside the dialect is said on one line and ignored (the app still starts)
const DIALECT_PROJECT = {
  "devsecrets.env": "PORT=3000\nMODE=base\n",
  "devsecrets.dev.env": "MODE=dev\n",
  "devsecrets.staging.env": "MODE=staging\n",
};
const PRINT_PORT_MODE = "process.stdout.write(JSON.stringify({ PORT: process.env.PORT, MODE: process.env.MODE }))";
const IGNORED = (name: string, value: string) =>
  `devsecrets: ${name}=${value} is not a boolean (1|true|yes|on or 0|false|no|off); ignored`;

for (const [way, flags, extra] of [
  ["--import", ["--import", REGISTER_ESM], {}],
  ["-r", ["-r", REGISTER_CJS], {}],
  ["-r through its worker", ["-r", REGISTER_CJS], { NODE_PENDING_DEPRECATION: "1" }],
] as const) {
  test(`${way}: DEVSECRETS_OVERRIDE and DEVSECRETS_ENV in the dialect (0 off, 1 and yes on, empty unset, bogus said and ignored)`, async (t) => {
    const cwd = world.project(DIALECT_PROJECT, `dialect-${way.replace(/\W+/g, "-")}`);
    const run = (variables: Record<string, string>) =>
      runProcess(process.execPath, [...flags, "-e", PRINT_PORT_MODE], {
        cwd,
        env: env({ PORT: "4000", ...extra, ...variables }),
        timeoutMs: 20_000,
      });
    for (const [variables, port, mode] of [
      [{ DEVSECRETS_OVERRIDE: "0" }, "4000", "dev"],
      [{ DEVSECRETS_OVERRIDE: "1" }, "3000", "dev"],
      [{ DEVSECRETS_OVERRIDE: "yes" }, "3000", "dev"],
      [{ DEVSECRETS_OVERRIDE: "", DEVSECRETS_ENV: "" }, "4000", "dev"],
      [{ DEVSECRETS_ENV: "staging", DEVSECRETS_OVERRIDE: "off" }, "4000", "staging"],
    ] as const) {
      const result = await run(variables);
      const label = JSON.stringify(variables);
      t.is(result.code, 0, `${label}: ${result.stderr}`);
      t.deepEqual(JSON.parse(result.stdout), { PORT: port, MODE: mode }, label);
      t.notRegex(result.stderr, /ignored/, label);
    }
    const bogus = await run({ DEVSECRETS_OVERRIDE: "bogus" });
    t.is(bogus.code, 0, bogus.stderr);
    t.deepEqual(JSON.parse(bogus.stdout), { PORT: "4000", MODE: "dev" }, "read as unset: the caller's PORT stays");
    t.deepEqual(
      bogus.stderr.split("\n").filter((line) => line.includes("ignored")),
      [IGNORED("DEVSECRETS_OVERRIDE", "bogus")],
      "said once",
    );
  });
}

test("DEVSECRETS_OPTIONAL in the dialect: yes lets the app start without a daemon, bogus is said and ignored (ESM and CommonJS)", async (t) => {
  const nobody = { DEVSECRETS_SOCKET: join(world.root, "nobody.sock") };
  for (const flag of [
    ["--import", REGISTER_ESM],
    ["-r", REGISTER_CJS],
  ]) {
    const optional = await runProcess(process.execPath, [...flag, join(APPS, "first-line.cjs")], {
      cwd: project,
      env: env({ ...nobody, DEVSECRETS_OPTIONAL: "yes" }),
    });
    t.is(optional.code, 0, optional.stderr);
    t.regex(optional.stderr, /^devsecrets: continuing without the project's variables/m);
    const bogus = await runProcess(process.execPath, [...flag, join(APPS, "first-line.cjs")], {
      cwd: project,
      env: env({ ...nobody, DEVSECRETS_OPTIONAL: "maybe" }),
    });
    t.is(bogus.code, 1, "unset: the app does not start without its variables");
    t.is(bogus.stdout, "");
    t.regex(bogus.stderr, /^devsecrets: error DS_DAEMON_UNREACHABLE: /m);
    t.true(bogus.stderr.includes(IGNORED("DEVSECRETS_OPTIONAL", "maybe")), bogus.stderr);
  }
});
