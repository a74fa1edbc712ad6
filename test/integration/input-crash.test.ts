// Issue 17: input never reaches a crash. One real daemon; every case of the issue is sent as a user or a client would,
// and after each the same daemon still answers. Rule: coded errors naming variable and file:line, never a value.

import test from "ava";
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { cli, makeWorld, type World } from "../helpers/sandbox-env.js";
import { daemonPidsOf, killAndWait } from "../helpers/daemon-process.js";
import { socketRequest } from "../../daemon/client/socket-request.js";

let world: World;
let pid = 0;

test.before(async () => {
  world = makeWorld();
  const started = await cli(world, ["daemon", "start"]);
  if (started.code !== 0) throw new Error(`daemon start failed: ${started.stderr}`);
  pid = await healthPid();
});

test.after.always(async () => {
  for (const running of daemonPidsOf(world)) await killAndWait(running, "SIGKILL");
  await world.cleanup();
});

async function healthPid(): Promise<number> {
  const health = await socketRequest({ socket: world.socket, method: "GET", path: "/v1/health" });
  return (JSON.parse(health.body) as { pid: number }).pid;
}

/** POST /v1/resolve with a raw JSON body (so a "__proto__" key stays a key) */
async function resolve(body: string): Promise<{ status: number; json: Record<string, unknown>; raw: string }> {
  const response = await socketRequest({
    socket: world.socket,
    method: "POST",
    path: "/v1/resolve",
    body: JSON.parse(body) as unknown,
    timeoutMs: 60_000,
  });
  return { status: response.status, json: JSON.parse(response.body) as Record<string, unknown>, raw: response.body };
}

const errorOf = (json: Record<string, unknown>) =>
  (json.error ?? {}) as { code?: string; message?: string; hint?: string };

function vmRssMiB(): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? 0) / 1024;
}

async function stillServing(t: { is: (a: unknown, b: unknown, m?: string) => void }): Promise<void> {
  t.is(await healthPid(), pid, "the same daemon still answers");
  const log = readFileSync(join(world.env.XDG_STATE_HOME as string, "devsecrets", "daemon.log"), "utf8");
  t.is(log.includes('"internal-error"') || log.includes('"unexpected-error"'), false, "nothing unexpected was logged");
}

test.serial("an unresolvable reference followed by a malformed one: a coded error, and the daemon lives", async (t) => {
  // on the landed code the second line's throw left the first's rejection unhandled and ended the daemon
  const cwd = world.project({ "devsecrets.env": "S=sandbox://stripe/secret-ky\nA=vault://onlymount\n" });
  const env = await cli(world, ["env"], { cwd });
  t.is(env.code, 1);
  t.regex(env.stderr, /DS_REF_SYNTAX: devsecrets\.env:2/);
  // the rejection would arrive a tick later: ask again, twice, and through check and a shim's names
  for (let i = 0; i < 2; i++) t.is((await cli(world, ["env"], { cwd })).code, 1);
  t.is((await cli(world, ["check"], { cwd })).code, 1);
  const status = await cli(world, ["daemon", "status"]);
  t.is(status.code, 0, status.stderr);
  await stillServing(t);
});

test.serial(
  "doubling chains end at DS_EXPANSION_LIMIT naming the variable and file:line, in bounded memory",
  async (t) => {
    // the issue's 4.8 KB file: 12 chains of 24 doublings took the daemon to a 4 GB heap
    const lines: string[] = [];
    for (let chain = 0; chain < 12; chain++) {
      lines.push(`C${chain}_0=abcdefghijklmnopqrstuvwxyz0123456789`);
      for (let level = 1; level <= 24; level++)
        lines.push(`C${chain}_${level}=\${C${chain}_${level - 1}}\${C${chain}_${level - 1}}`);
    }
    const cwd = world.project({ "devsecrets.env": `${lines.join("\n")}\n` });
    const answer = await resolve(JSON.stringify({ cwd }));
    t.is(answer.status, 422, answer.raw.slice(0, 300));
    const error = errorOf(answer.json);
    t.is(error.code, "DS_EXPANSION_LIMIT");
    // 36 bytes doubled 12 times is 147,456 bytes: C0_12 on line 13 is the first over 128 KiB
    t.is(
      error.message,
      "devsecrets.env:13: C0_12 expands to more than 131065 bytes, the most a child's environment accepts for it",
    );
    const env = await cli(world, ["env"], { cwd });
    t.is(env.code, 1);
    t.regex(env.stderr, /DS_EXPANSION_LIMIT/);
    t.true(vmRssMiB() < 400, `daemon RSS ${vmRssMiB().toFixed(0)} MiB`);
    await stillServing(t);
  },
);

test.serial(
  "a project whose values pass 1 MiB together is DS_EXPANSION_LIMIT at the variable that crosses",
  async (t) => {
    // each value 64 KiB (within its own limit); the 17th passes 1 MiB with the names
    const lines = ["X0=0123456789abcdef"];
    for (let level = 1; level <= 12; level++) lines.push(`X${level}=\${X${level - 1}}\${X${level - 1}}`);
    for (let copy = 0; copy < 20; copy++) lines.push(`COPY${copy}=\${X12}`);
    const cwd = world.project({ "devsecrets.env": `${lines.join("\n")}\n` });
    const answer = await resolve(JSON.stringify({ cwd }));
    t.is(errorOf(answer.json).code, "DS_EXPANSION_LIMIT", answer.raw.slice(0, 300));
    t.regex(
      errorOf(answer.json).message ?? "",
      /^devsecrets\.env:\d+: the project's values pass 1 MiB together at (X|COPY)\d+$/,
    );
    // asking for one of them is within every bound
    const one = await resolve(JSON.stringify({ cwd, names: ["COPY3"] }));
    t.is(one.status, 200, one.raw.slice(0, 300));
    t.is(((one.json.variables as Record<string, string>).COPY3 ?? "").length, 16 * 4096);
    await stillServing(t);
  },
);

test.serial("env:// looks up own properties only, and a variable named __proto__ is served", async (t) => {
  const cwd = world.project({
    "devsecrets.env": "C=env://constructor\n",
    "devsecrets.proto.env": "C=env://__proto__\n",
    "devsecrets.named.env": "C=plain\n__proto__=hello\n",
  });
  // on the landed code: "function Object() { [native code] }"
  const ctor = await resolve(JSON.stringify({ cwd, environ: {} }));
  t.is(errorOf(ctor.json).code, "DS_REF_NOT_FOUND", ctor.raw);
  t.regex(errorOf(ctor.json).message ?? "", /^devsecrets\.env:1: env:\/\/constructor is not set/);
  // on the landed code: "{}"
  const proto = await resolve(JSON.stringify({ cwd, env: "proto", environ: {} }));
  t.is(errorOf(proto.json).code, "DS_REF_NOT_FOUND", proto.raw);
  // an own "__proto__" in the caller's environment is a variable like any other
  const own = await resolve(`{"cwd": ${JSON.stringify(cwd)}, "env": "proto", "environ": {"__proto__": "mine"}}`);
  t.is(own.status, 200, own.raw);
  t.true(own.raw.includes('"C":"mine"'), own.raw);
  // on the landed code the variable was dropped from the answer
  const named = await resolve(JSON.stringify({ cwd, env: "named" }));
  t.is(named.status, 200, named.raw);
  t.true(named.raw.includes('"__proto__":"hello"'), named.raw);
  await stillServing(t);
});

test.serial("a NUL in a value is DS_VALUE_INVALID naming the variable, at resolve and at set", async (t) => {
  const cwd = world.project({
    "devsecrets.env": "OK=fine\nLIT=before\0after\n",
    "devsecrets.envref.env": "LIT=env://FROM_ME\n",
  });
  const literal = await resolve(JSON.stringify({ cwd }));
  t.is(errorOf(literal.json).code, "DS_VALUE_INVALID", literal.raw);
  t.is(errorOf(literal.json).message, "devsecrets.env:2: the value of LIT holds a NUL byte");
  t.false(literal.raw.includes("before") || literal.raw.includes("after"), "the value is not echoed");
  const fromEnv = await resolve(JSON.stringify({ cwd, env: "envref", environ: { FROM_ME: "x\u0000secretpart" } }));
  t.is(errorOf(fromEnv.json).code, "DS_VALUE_INVALID", fromEnv.raw);
  t.false(fromEnv.raw.includes("secretpart"));
  // `run` on the landed code: served, then DS_INTERNAL / DS_CHILD_SPAWN at the spawn
  const run = await cli(world, ["run", "--", "node", "-e", "0"], { cwd });
  t.is(run.code, 1);
  t.regex(run.stderr, /DS_VALUE_INVALID: devsecrets\.env:2: the value of LIT holds a NUL byte/);

  // set: refused before it is stored, the value never echoed
  const setCwd = world.project({ "devsecrets.env": "DB=keychain://db-password\n" });
  const login = await socketRequest({
    socket: world.socket,
    method: "POST",
    path: "/v1/session",
    body: { store: "memory" },
  });
  t.is(login.status, 200, login.body);
  const set = await socketRequest({
    socket: world.socket,
    method: "POST",
    path: "/v1/keychain/set",
    body: { cwd: setCwd, name: "db-password", value: "pass\u0000word-secretpart" },
  });
  t.is(errorOf(JSON.parse(set.body) as Record<string, unknown>).code, "DS_VALUE_INVALID", set.body);
  t.false(set.body.includes("secretpart"));
  const byCli = await cli(world, ["set", "db-password"], { cwd: setCwd, input: "pass\u0000word-secretpart\n" });
  t.is(byCli.code, 1);
  t.regex(byCli.stderr, /DS_VALUE_INVALID: the value for keychain:\/\/db-password holds a NUL byte/);
  t.false(byCli.stderr.includes("secretpart"));
  await stillServing(t);
});

test.serial("unreadable project files are DS_PROJECT_FILE with the path and the errno", async (t) => {
  const cwd = world.project({ "devsecrets.env": "A=1\n" });
  // a path component over 255 bytes (ENAMETOOLONG); on the landed code DS_INTERNAL
  const long = join(cwd, "d".repeat(300));
  const tooLong = await resolve(JSON.stringify({ cwd: long }));
  t.is(errorOf(tooLong.json).code, "DS_PROJECT_FILE", tooLong.raw);
  t.is(
    errorOf(tooLong.json).message,
    `cannot read ${join(long, "devsecrets.env")}: ENAMETOOLONG (a name in the path is too long)`,
  );
  // a symlink loop (ELOOP), as the base file and as an overlay
  const loop = world.project({});
  symlinkSync("devsecrets.env", join(loop, "devsecrets.env"));
  const looped = await resolve(JSON.stringify({ cwd: loop }));
  t.is(errorOf(looped.json).code, "DS_PROJECT_FILE", looped.raw);
  t.is(
    errorOf(looped.json).message,
    `cannot read ${join(loop, "devsecrets.env")}: ELOOP (too many symbolic links, or a symlink loop)`,
  );
  symlinkSync("devsecrets.dev.env", join(cwd, "devsecrets.dev.env"));
  const overlay = await resolve(JSON.stringify({ cwd }));
  t.regex(errorOf(overlay.json).message ?? "", /devsecrets\.dev\.env: ELOOP/);
  // /proc/self/mem reads as EIO
  const mem = world.project({ "devsecrets.env": "A=1\n" });
  symlinkSync("/proc/self/mem", join(mem, "devsecrets.local.env"));
  const eio = await resolve(JSON.stringify({ cwd: mem }));
  t.is(errorOf(eio.json).code, "DS_PROJECT_FILE", eio.raw);
  t.is(errorOf(eio.json).message, `cannot read ${join(mem, "devsecrets.local.env")}: EIO (an input/output error)`);
  // a device is not a project file, and a file over 1 MiB is refused before it is parsed
  const device = world.project({ "devsecrets.env": "A=1\n" });
  symlinkSync("/dev/urandom", join(device, "devsecrets.local.env"));
  const urandom = await resolve(JSON.stringify({ cwd: device }));
  t.is(errorOf(urandom.json).message, `${join(device, "devsecrets.local.env")} is not a regular file`);
  const big = world.project({ "devsecrets.env": "A=1\n" });
  writeFileSync(join(big, "devsecrets.local.env"), `B=${"b".repeat(1024 * 1024)}\n`);
  const large = await resolve(JSON.stringify({ cwd: big }));
  t.is(errorOf(large.json).message, `${join(big, "devsecrets.local.env")} is larger than 1 MiB`);
  // the CLI prints the same code
  const env = await cli(world, ["env"], { cwd: mem });
  t.is(env.code, 1);
  t.regex(env.stderr, /DS_PROJECT_FILE/);
  await stillServing(t);
});

test.serial(
  "the trust listing survives odd project files: a symlink loop, /dev/zero, a FIFO, 5,000 levels of settings",
  async (t) => {
    // found by test/fuzz/projects.fuzz.test.ts: ELOOP from the listing's stat and a stack overflow in its settings walk
    // answered DS_INTERNAL; /dev/zero would have been read without end
    const cwd = world.project({
      "devsecrets.env": "A=1\n",
      "devsecrets.json": `{"deep":${"[".repeat(5000)}${"]".repeat(5000)}}`,
    });
    symlinkSync("devsecrets.dev.env", join(cwd, "devsecrets.dev.env"));
    symlinkSync("/dev/zero", join(cwd, "devsecrets.staging.env"));
    execFileSync("mkfifo", [join(cwd, "devsecrets.prod.env")]);
    for (const path of ["/v1/trust/show", "/v1/trust/show"]) {
      const shown = await socketRequest({
        socket: world.socket,
        method: "POST",
        path,
        body: { cwd },
        timeoutMs: 30_000,
      });
      t.is(shown.status, 200, shown.body.slice(0, 300));
      const listing = JSON.parse(shown.body) as { digest: string; items: { file: string; why: string }[] };
      t.true(
        listing.items.some((item) => item.file === "devsecrets.json" && /nested deeper than 64 levels/.test(item.why)),
      );
    }
    await stillServing(t);
  },
);
