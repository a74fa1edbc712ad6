// A leak canary through the whole system: set, keychain://, env://, run, env, get, the Node shim, logout, daemon stop;
// then every file of the world, doctor, status --json and a child of another project are searched for it in four encodings.
// Rule: zero hits asserted wherever the code decides; the V8 heap (strings cannot be wiped) is counted and logged, not asserted.

import test from "ava";
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cli, DAEMON, makeWorld, REPO_ROOT, runProcess, waitFor, type World } from "../helpers/sandbox-env.js";
import { encodingsOf, filesHolding } from "../helpers/session-world.js";
import { socketRequest } from "../../daemon/client/socket-request.js";
import { DAEMON_START_FLAGS } from "../../common/daemon-start-flags.js";

const REGISTER = join(REPO_ROOT, "dist", "shims", "node", "register.js");

/** plain, hex, base64 (every alignment, both alphabets) and URL-encoded */
function formsOf(value: string): string[] {
  return [...new Set([...encodingsOf(value), encodeURIComponent(value)])];
}

function hitsIn(text: string, forms: string[]): string[] {
  return forms.filter((form) => text.includes(form));
}

function countIn(data: Buffer, form: string): number {
  const needle = Buffer.from(form, "latin1");
  let count = 0;
  for (let at = data.indexOf(needle); at !== -1; at = data.indexOf(needle, at + 1)) count++;
  return count;
}

/** a child that reads the canary on stdin (never argv) and says which of its variables hold it, in any of the forms */
const CHECK_CHILD = `
let input = "";
process.stdin.on("data", (c) => (input += c)).on("end", () => {
  const forms = JSON.parse(input);
  const holding = Object.entries(process.env).filter(([, v]) => forms.some((f) => (v ?? "").includes(f))).map(([k]) => k).sort();
  process.stdout.write(JSON.stringify(holding));
});`;

function startHookedDaemon(
  world: World,
  env: Record<string, string>,
): Promise<{ pid: number; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, ["--expose-gc", DAEMON], {
    env: { ...world.env, ...env },
    stdio: ["ignore", "ignore", "ignore"],
  });
  const exited = new Promise((resolve) => child.once("close", resolve));
  return waitFor(
    async () => {
      try {
        return (await socketRequest({ socket: world.socket, method: "GET", path: "/v1/health" })).status === 200;
      } catch {
        return false;
      }
    },
    15_000,
    "the daemon to answer",
  ).then(() => ({ pid: child.pid as number, exited }));
}

test("a canary set, served through keychain://, env://, run, env, get and the Node shim is found in no file, no doctor or status output, no other project's child; the heap after logout is counted", async (t) => {
  const world = makeWorld();
  try {
    const canary = `canary-${randomBytes(16).toString("hex")}/&+=`;
    const forms = formsOf(canary);
    const withCanary = world.project(
      { "devsecrets.env": "CANARY=keychain://canary\nFROM_ENV=env://CANARY_IN\nSTRIPE=sandbox://stripe/secret-key\n" },
      "with",
    );
    const without = world.project(
      { "devsecrets.env": "PLAIN=literal\nSTRIPE=sandbox://stripe/secret-key\n" },
      "without",
    );
    const daemon = await startHookedDaemon(world, { DEVSECRETS_TEST_HOOKS: "1", DEVSECRETS_TEST_HEAP_SNAPSHOT: "1" });
    const callerEnv = { CANARY_IN: canary };

    t.is((await cli(world, ["login", "--store", "memory"], { cwd: withCanary })).code, 0);
    const set = await cli(world, ["set", "canary"], { cwd: withCanary, input: canary });
    t.is(set.code, 0, set.stderr);

    const sha = createHash("sha256").update(canary).digest("hex");
    const probe = `const h=(v)=>require("crypto").createHash("sha256").update(v??"").digest("hex");process.stdout.write(JSON.stringify({c:h(process.env.CANARY)===${JSON.stringify(sha)},e:h(process.env.FROM_ENV)===${JSON.stringify(sha)}}))`;
    const ran = await cli(world, ["run", "--", process.execPath, "-e", probe], { cwd: withCanary, env: callerEnv });
    t.is(ran.code, 0, ran.stderr);
    t.deepEqual(
      JSON.parse(ran.stdout),
      { c: true, e: true },
      "run hands the canary to its child through keychain:// and env://",
    );
    const env = await cli(world, ["env", "--format", "json"], { cwd: withCanary, env: callerEnv });
    t.is((JSON.parse(env.stdout) as Record<string, string>).CANARY, canary);
    t.is((JSON.parse(env.stdout) as Record<string, string>).FROM_ENV, canary);
    const got = await cli(world, ["get", "CANARY"], { cwd: withCanary });
    t.is(got.stdout.trim(), canary);
    const shim = await runProcess(process.execPath, ["--import", REGISTER, "-e", probe], {
      cwd: withCanary,
      env: { ...world.env, ...callerEnv },
      timeoutMs: 20_000,
    });
    t.deepEqual(JSON.parse(shim.stdout || "{}"), { c: true, e: true }, `the shim fills process.env: ${shim.stderr}`);

    // a project that does not name the canary: neither run nor the shim gives its child the value
    const otherRun = await cli(world, ["run", "--", process.execPath, "-e", CHECK_CHILD], {
      cwd: without,
      input: JSON.stringify(forms),
    });
    t.is(otherRun.code, 0, otherRun.stderr);
    t.deepEqual(JSON.parse(otherRun.stdout), [], "a child of `run` in another project holds no canary");
    const otherShim = await runProcess(process.execPath, ["--import", REGISTER, "-e", CHECK_CHILD], {
      cwd: without,
      env: world.env,
      input: JSON.stringify(forms),
      timeoutMs: 20_000,
    });
    t.deepEqual(
      JSON.parse(otherShim.stdout || "null"),
      [],
      `a shim child in another project holds no canary: ${otherShim.stderr}`,
    );

    const doctor = await cli(world, ["doctor"], { cwd: withCanary });
    const doctorJson = await cli(world, ["doctor", "--json"], { cwd: withCanary });
    const status = await cli(world, ["status", "--json"], { cwd: withCanary });
    t.is(status.code, 0, status.stderr);
    t.deepEqual(hitsIn(doctor.stdout + doctor.stderr + doctorJson.stdout + doctorJson.stderr, forms), [], "doctor");
    t.deepEqual(hitsIn(status.stdout + status.stderr, forms), [], "status --json");

    t.is((await cli(world, ["logout"], { cwd: withCanary })).code, 0);
    const statusAfter = await cli(world, ["status", "--json"], { cwd: withCanary });
    t.deepEqual(hitsIn(statusAfter.stdout, forms), [], "status --json after logout");

    // the heap after logout: V8 strings are immutable and freed only when collected, so this is counted, not asserted
    const snap = await socketRequest({
      socket: world.socket,
      method: "POST",
      path: "/v1/test/heap-snapshot",
      timeoutMs: 60_000,
    });
    t.is(snap.status, 200, snap.body);
    const path = (JSON.parse(snap.body) as { path: string }).path;
    t.true(path.startsWith(join(world.env.XDG_STATE_HOME as string, "devsecrets")), path);
    const heap = readFileSync(path);
    const heapCounts = Object.fromEntries(forms.map((f) => [f, countIn(heap, f)]).filter(([, n]) => (n as number) > 0));
    const heapTotal = Object.values(heapCounts).reduce((a: number, b) => a + (b as number), 0);
    t.log(
      `heap snapshot after logout (${(heap.length / 1048576).toFixed(1)} MiB): ${heapTotal} canary hits ${JSON.stringify(Object.entries(heapCounts).map(([f, n]) => [f === canary ? "plain" : f === encodeURIComponent(canary) ? "url" : f.slice(0, 8), n]))}`,
    );
    rmSync(path);

    const stop = await cli(world, ["daemon", "stop"], { cwd: withCanary });
    t.is(stop.code, 0, stop.stderr);
    await daemon.exited;

    // every file the world holds: daemon log, audit file, journal, state, config, HOME, TMPDIR, the projects
    const state = join(world.env.XDG_STATE_HOME as string, "devsecrets");
    for (const name of ["daemon.log", "audit.jsonl", "journal.jsonl"]) {
      t.deepEqual(hitsIn(readFileSync(join(state, name), "latin1"), forms), [], name);
    }
    const scan = filesHolding(world.root, canary);
    const urlHits: string[] = [];
    const walkUrl = filesHoldingForm(world.root, encodeURIComponent(canary));
    urlHits.push(...walkUrl);
    t.log(`files searched under the world: ${scan.files}; hits: ${scan.hits.length + urlHits.length}`);
    t.deepEqual([...scan.hits, ...urlHits], []);
  } finally {
    await world.cleanup();
  }
});

/** the URL-encoded form, which filesHolding (plain, hex, base64) does not look for */
function filesHoldingForm(root: string, form: string): string[] {
  // filesHolding searches a value's encodings; the URL form is a value of its own whose plain encoding is itself
  return filesHolding(root, form).hits.filter((hit) => hit.endsWith(`(${form})`));
}

test("the heap snapshot route exists only with DEVSECRETS_TEST_HOOKS=1 and DEVSECRETS_TEST_HEAP_SNAPSHOT=1; the variable alone stops the daemon", async (t) => {
  const world = makeWorld();
  try {
    const plain = await startHookedDaemon(world, {});
    const none = await socketRequest({ socket: world.socket, method: "POST", path: "/v1/test/heap-snapshot" });
    t.is(none.status, 404);
    t.regex(none.body, /DS_/);
    t.is((await cli(world, ["daemon", "stop"])).code, 0);
    await plain.exited;

    const hooksOnly = await startHookedDaemon(world, { DEVSECRETS_TEST_HOOKS: "1" });
    t.is(
      (await socketRequest({ socket: world.socket, method: "POST", path: "/v1/test/heap-snapshot" })).status,
      404,
      "hooks on, snapshot hook off",
    );
    t.is((await cli(world, ["daemon", "stop"])).code, 0);
    await hooksOnly.exited;

    // with its start flags, as a client starts it: no re-exec to wait for
    const refused = await runProcess(process.execPath, [...DAEMON_START_FLAGS, DAEMON], {
      env: { ...world.env, DEVSECRETS_TEST_HEAP_SNAPSHOT: "1" },
      timeoutMs: 15_000,
    });
    t.is(refused.code, 1);
    t.regex(refused.stderr, /failed to start/);
  } finally {
    await world.cleanup();
  }
});
