// A dead daemon never blocks the next start: a zombie, a SIGKILL, a reused pid in the lock file (issue 17).
// Rule: the processes here are real (a daemon SIGKILLed and left unreaped by its parent); each is stopped by pid.

import test from "ava";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { disposeWorld, daemonPidsOf, killAndWait } from "../helpers/daemon-process.js";
import { cli, DAEMON, makeWorld, waitFor } from "../helpers/sandbox-env.js";

function processState(pid: number): string {
  try {
    return /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? "?";
  } catch {
    return "gone";
  }
}

test("a daemon SIGKILLed and left a zombie by its parent does not hold the lock: the next command starts a new one at once", async (t) => {
  const world = makeWorld();
  // python's Popen never reaps a child it is not asked about: the killed daemon stays a zombie while it sleeps
  const holder = spawn(
    "python3",
    [
      "-c",
      "import subprocess, sys, time\np = subprocess.Popen(sys.argv[1:])\nprint(p.pid, flush=True)\ntime.sleep(120)",
      process.execPath,
      DAEMON,
      "--foreground",
    ],
    { env: world.env, stdio: ["ignore", "pipe", "ignore"] },
  );
  try {
    let out = "";
    holder.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    await waitFor(() => /\d+\n/.test(out), 10_000, "the holder to print the daemon's pid");
    const pid = Number(out.trim());
    await waitFor(
      async () =>
        (await cli(world, ["daemon", "status", "--json"], { env: { DEVSECRETS_NO_AUTOSTART: "1" } })).code === 0,
      15_000,
      "the daemon to answer",
    );
    process.kill(pid, "SIGKILL");
    await waitFor(() => processState(pid) === "Z", 5_000, "the daemon to be a zombie");
    t.is(readFileSync(`${world.socket}.lock`, "utf8").trim(), String(pid), "the lock file still names the dead pid");

    const started = Date.now();
    const project = world.project({ "devsecrets.env": "TOKEN=sandbox://github/pat\n" });
    const env = await cli(world, ["env", "--format", "json"], { cwd: project });
    t.is(env.code, 0, env.stderr);
    // "at once": within the start's own bound (the old lock failed with DS_DAEMON_START_FAILED after the world's 15 s),
    // with room for a Node CLI and a daemon starting on a loaded machine
    t.true(Date.now() - started < 14_000, `took ${Date.now() - started} ms`);
    t.is(processState(pid), "Z", "the zombie is still there: the new daemon did not need it gone");
    // the holder names the daemon in its own command line: it is not one
    const fresh = daemonPidsOf(world).filter((p) => p !== pid && p !== holder.pid);
    t.is(fresh.length, 1, "one new daemon");
    const status = await cli(world, ["daemon", "status", "--json"]);
    t.is(JSON.parse(status.stdout).pid, fresh[0]);
  } finally {
    if (holder.pid) await killAndWait(holder.pid, "SIGKILL");
    await disposeWorld(world);
  }
});

test("a lock file naming a live process that is not a daemon (a reused pid) does not stop a start", async (t) => {
  const world = makeWorld();
  try {
    // the start makes the folder; then the lock names this test's own pid, which is alive and no daemon
    t.is((await cli(world, ["daemon", "start"])).code, 0);
    await cli(world, ["daemon", "stop"]);
    writeFileSync(`${world.socket}.lock`, `${process.pid}\n`);
    const start = await cli(world, ["daemon", "start"]);
    t.is(start.code, 0, start.stderr);
    const status = await cli(world, ["daemon", "status", "--json"], { env: { DEVSECRETS_NO_AUTOSTART: "1" } });
    t.is(status.code, 0, status.stderr);
    t.not(JSON.parse(status.stdout).pid, process.pid);
  } finally {
    await disposeWorld(world);
  }
});

test("a second daemon started beside a live one exits 0 without touching its socket", async (t) => {
  const world = makeWorld();
  try {
    t.is((await cli(world, ["daemon", "start"])).code, 0);
    const [first] = daemonPidsOf(world);
    const second = spawn(process.execPath, [DAEMON, "--foreground"], {
      env: world.env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    second.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => second.once("close", resolve));
    t.is(code, 0);
    t.regex(stderr, new RegExp(`already running \\(pid ${first}\\)`));
    const status = await cli(world, ["daemon", "status", "--json"], { env: { DEVSECRETS_NO_AUTOSTART: "1" } });
    t.is(JSON.parse(status.stdout).pid, first);
  } finally {
    await disposeWorld(world);
  }
});
